export { annualizeRate } from './annualize.js';
