// Upload progress for the department's submission forms (progressive enhancement: without this script the
// form posts normally). "Gönder" sends the form with XMLHttpRequest, shows the upload in a <progress> and a
// live status line ("Yükleniyor: %42"), then shows the server's answer as a normal submission would: the
// receipt, or the form again with its errors (a redirect, e.g. to the login page, is followed).
(function () {
  "use strict";

  function bind() {
    var form = document.getElementById("gonderi-formu");
    var box = document.getElementById("yukleme");
    var bar = document.getElementById("yukleme-ilerleme");
    var status = document.getElementById("yukleme-durum");
    if (!form || !box || !bar || !status || !window.FormData || !window.DOMParser) {
      return;
    }
    var sending = false;

    function show(percent) {
      bar.value = percent;
      bar.textContent = "%" + percent;
      status.textContent = "Yükleniyor: %" + percent;
    }

    function failed() {
      sending = false;
      box.hidden = true;
      status.textContent = "Gönderi sunucuya ulaşmadı; hiçbir şey kaydedilmedi. Bağlantınızı denetleyip " +
        "yeniden gönderin.";
    }

    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (!submitter || submitter.name !== "islem" || submitter.value !== "gonder") {
        return;   // the preview button posts the form as it is
      }
      event.preventDefault();
      if (sending) {
        return;
      }
      sending = true;
      var data = new FormData(form);
      data.append(submitter.name, submitter.value);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable && progress.total > 0) {
          show(Math.min(100, Math.floor(progress.loaded * 100 / progress.total)));
        }
      });
      xhr.upload.addEventListener("load", function () { show(100); });
      xhr.addEventListener("load", function () {
        show(100);
        if (xhr.responseURL && xhr.responseURL !== form.action) {
          window.location.assign(xhr.responseURL);   // redirected: open where the server sent us
          return;
        }
        answer(xhr.responseText);
      });
      xhr.addEventListener("error", failed);
      xhr.addEventListener("abort", failed);
      box.hidden = false;
      show(0);
      xhr.send(data);
    });
  }

  // The answer replaces the page's content, as a page load would (every screen has the same <head>); focus goes to the error summary or the main content.
  function answer(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    document.title = page.title;
    document.documentElement.replaceChild(document.adoptNode(page.body), document.body);
    window.scrollTo(0, 0);
    var target = document.querySelector(".error-summary") || document.getElementById("icerik");
    if (target) {
      target.focus();
    }
    bind();
  }

  bind();
}());
