// Applies the saved theme ('light', 'dark' or 'system') before the app loads,
// so a dark-mode user never sees a white flash.
(function () {
  try {
    var t = localStorage.getItem('chosen.theme') || 'system';
    var dark = t === 'dark' || (t === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
    document.documentElement.classList.toggle('dark', dark);
  } catch (e) {
    /* storage blocked: keep light */
  }
})();
