export default defineBackground(() => {
  browser.runtime.onInstalled.addListener(() => {
    console.info('perpscope installed');
  });
});
