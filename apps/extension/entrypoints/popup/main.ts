const app = document.querySelector<HTMLElement>('#app');
if (app) app.textContent = 'perpscope: no positions watched yet';
