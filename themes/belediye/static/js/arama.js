/* Site search with Pagefind: runs only on /arama/, reads ?q= so the header form works. */
window.addEventListener("DOMContentLoaded", function () {
  var target = document.getElementById("arama");
  if (!target || typeof PagefindUI === "undefined") { return; }
  var ui = new PagefindUI({
    element: "#arama",
    showSubResults: true,
    showImages: false,
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
});
