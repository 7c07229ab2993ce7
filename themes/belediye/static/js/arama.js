/* Site search with Pagefind: runs only on /arama/, reads ?q= so the header form works. The index is split into
   bundles (undated pages in pagefind/ itself, recent items, one per year); pagefind/parcalar.json names those
   merged into it, so a new year's bundle changes no page. Results of all bundles are ranked together. */
window.addEventListener("DOMContentLoaded", function () {
  var target = document.getElementById("arama");
  if (!target || typeof PagefindUI === "undefined") { return; }
  var script = document.querySelector("script[src$='pagefind/pagefind-ui.js']");
  var base = script ? new URL(script.src).pathname.replace(/pagefind-ui\.js$/, "") : "/pagefind/";

  function start(parts) {
    var ui = new PagefindUI({
      element: "#arama",
      showSubResults: true,
      showImages: false,
      mergeIndex: parts.map(function (name) { return { bundlePath: base + name + "/" }; }),
      translations: {
        placeholder: target.getAttribute("data-placeholder"),
        zero_results: "[SEARCH_TERM] için sonuç bulunamadı",
        many_results: "[SEARCH_TERM] için [COUNT] sonuç",
        one_result: "[SEARCH_TERM] için 1 sonuç",
        load_more: "Daha fazla sonuç",
        clear_search: "Temizle",
        search_label: "Bu sitede ara"
      }
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { ui.triggerSearch(query); }
  }

  fetch(base + "parcalar.json")
    .then(function (response) { return response.ok ? response.json() : {}; })
    .then(function (list) {
      var parts = Array.isArray(list.parcalar) ? list.parcalar : [];
      start(parts.filter(function (name) { return /^[a-z0-9-]+$/.test(name); }));
    })
    .catch(function () { start([]); });  // without the list, the undated pages are still searched
});
