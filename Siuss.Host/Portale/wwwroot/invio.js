// Progress of an upload: only an enhancement. Without JavaScript the form posts as usual and the page answers the same.
(function () {
  const form = document.getElementById('modulo-invio');
  if (!form || !window.XMLHttpRequest || !window.DOMParser) return;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    const box = document.getElementById('avanzamento');
    const bar = document.getElementById('barra-avanzamento');
    box.classList.remove('d-none');
    const request = new XMLHttpRequest();
    request.open('POST', form.action || window.location.pathname);
    request.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total);
    });
    request.addEventListener('load', function () {
      if (request.responseURL && new URL(request.responseURL).pathname !== window.location.pathname) {
        window.location.assign(request.responseURL); // e.g. the session expired: the login page
        return;
      }
      const page = new DOMParser().parseFromString(request.responseText, 'text/html');
      const main = page.getElementById('contenuto');
      if (main) document.getElementById('contenuto').replaceWith(main);
      const results = document.getElementById('esiti') || document.getElementById('errore-invio');
      if (results) { results.setAttribute('tabindex', '-1'); results.focus(); }
    });
    request.addEventListener('error', function () { form.submit(); });
    request.send(new FormData(form));
  });
})();
