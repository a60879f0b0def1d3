export {
  type AnvilInstance,
  anvilBinaryPath,
  type StartAnvilParameters,
  startAnvil,
} from './startAnvil.js';
