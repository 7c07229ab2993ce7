/* Site search on /arama/?q=…, over the Pagefind index (its JavaScript API; results are drawn here, in the site's
   own markup). The index holds each page's text folded as people type Turkish (municms/search_copy.py), so the
   query is folded the same way: foldTurkish is the exact twin of municms.turkish.search_fold.

   Pagefind finds the candidates and ranks them, but it returns pages that have any one of the query words, and it
   matches a word that is not on the site to the longest indexed word its stem starts with (so "iski" found "iş",
   in "İşleri", on half the pages). A page counts here only when it has, for every query word, a word that agrees
   with it: both begin alike for 60 % of the query word and at least four letters, or for all of it when shorter
   ("kesintisi" agrees with "kesintiler" and "kesinti", not with "kesim"); a query word shorter than four letters
   only with words at most four letters longer ("su" with "suyu", not with "süresince"). So all words are
   required and a word not on the site finds nothing. Pages whose title has every query word come first (those
   with more of the words exactly as typed before the others), then Pagefind's order.
   The index is split into bundles (pagefind/parcalar.json lists those merged into the primary one). */
(function () {
  "use strict";

  var LETTERS = { "ı": "i", "ş": "s", "ğ": "g", "ç": "c", "ö": "o", "ü": "u", "â": "a", "î": "i", "û": "u" };
  // JavaScript's \s, spelt out so that municms.turkish.search_fold splits text on exactly the same characters
  var SPACE = /[ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/;
  var PAGE_SIZE = 10;
  var MAX_CHECKED = 500;     // candidates whose words are read (one small fragment file each)
  var EXCERPT_WORDS = 30;
  var AGREEING_LETTERS = 4;
  var AGREEING_SHARE = 0.6;
  var SHORT_WORD_ENDING = 4;  // a query word under four letters agrees with words at most this much longer

  /* Turkish lower case, Turkish letters as their ASCII twins, other marks dropped, one space between words. */
  function foldTurkish(text) {
    var lower = String(text).normalize("NFC").replace(/İ/g, "i").replace(/I/g, "ı").toLowerCase();
    var plain = lower.replace(/[ışğçöüâîû]/g, function (ch) { return LETTERS[ch]; })
      .normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");
    return plain.split(SPACE).filter(Boolean).join(" ");
  }

  /* The words of a folded query as Pagefind looks them up: letters and digits only. */
  function queryWords(folded) {
    return folded.split(" ").map(function (word) { return word.replace(/[^\p{L}\p{N}]/gu, ""); })
      .filter(Boolean);
  }

  function sharedPrefix(a, b) {
    var n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) { n += 1; }
    return n;
  }

  /* The letter-and-digit runs of a folded word, and all of them joined ("e-imar:" → e, imar, eimar). */
  function piecesOf(folded) {
    var pieces = folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (pieces.length > 1) { pieces.push(pieces.join("")); }
    return pieces;
  }

  function piecesAgree(pieces, queryWord) {
    var needed = Math.min(queryWord.length,
      Math.max(AGREEING_LETTERS, Math.ceil(queryWord.length * AGREEING_SHARE)));
    var short = queryWord.length < AGREEING_LETTERS;
    return pieces.some(function (piece) {
      if (short && piece.length > queryWord.length + SHORT_WORD_ENDING) { return false; }
      return sharedPrefix(piece, queryWord) >= needed;
    });
  }

  /* Whether a word of a page (punctuation and all) is a match for a folded query word. */
  function agrees(pageWord, queryWord) {
    return piecesAgree(piecesOf(foldTurkish(pageWord)), queryWord);
  }

  /* The positions of the page's words that agree with a query word, or null unless every query word has one.
     The page's indexed words are folded already. */
  function matchedLocations(data, words) {
    var seen = words.map(function () { return false; });
    var found = [];
    data.content.split(/[\r\n\s]+/g).forEach(function (pageWord, at) {
      var pieces = piecesOf(pageWord);
      var hit = false;
      words.forEach(function (word, index) {
        if (piecesAgree(pieces, word)) { seen[index] = true; hit = true; }
      });
      if (hit) { found.push(at); }
    });
    return seen.every(Boolean) ? found : null;
  }

  /* How a page's title matches the query: [1 when it has every query word, else 0; how many query words it holds
     exactly as typed]. */
  function titleMatch(data, words) {
    var pieces = [];
    foldTurkish((data.meta || {}).title || "").split(" ").forEach(function (titleWord) {
      pieces = pieces.concat(piecesOf(titleWord));
    });
    var every = words.every(function (word) { return piecesAgree(pieces, word); });
    var exact = words.filter(function (word) { return pieces.indexOf(word) >= 0; }).length;
    return [every ? 1 : 0, exact];
  }

  /* A window of the page's original words around its densest matches (after the title), matches marked; the
     summary when the original words do not line up with the indexed ones. */
  function excerpt(data, found) {
    var meta = data.meta || {};
    var original = (meta.metin || "").split(" ");
    var indexed = data.content.split(/[\r\n\s]+/g);
    var titleLength = (meta.title || "").split(" ").filter(Boolean).length;
    var inText = found.filter(function (at) { return at >= titleLength; });
    if (original.length !== indexed.length || !inText.length) {
      return { words: (meta.ozet || "").split(" "), marked: {}, before: false, after: false };
    }
    var best = inText[0], bestCount = 0;
    inText.forEach(function (start) {
      var count = inText.filter(function (at) { return at >= start && at < start + EXCERPT_WORDS; }).length;
      if (count > bestCount) { best = start; bestCount = count; }
    });
    var from = Math.max(titleLength, Math.min(best - 5, original.length - EXCERPT_WORDS));
    var to = Math.min(original.length, from + EXCERPT_WORDS);
    var marked = {};
    inText.forEach(function (at) { marked[at - from] = true; });
    return { words: original.slice(from, to), marked: marked, before: from > titleLength,
      after: to < original.length };
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function resultItem(data, found) {
    var meta = data.meta || {};
    var item = element("li", "search-result");
    var heading = element("h2", "card-title");
    var link = element("a", "", meta.title || data.url);
    link.href = /^\/(?!\/)/.test(data.url) ? data.url : "#";
    heading.appendChild(link);
    item.appendChild(heading);
    var facts = [meta.bolum, meta.tarih].filter(Boolean);
    if (facts.length) { item.appendChild(element("p", "meta", facts.join(" · "))); }
    var shown = excerpt(data, found);
    var paragraph = element("p", "search-excerpt");
    if (shown.before) { paragraph.appendChild(document.createTextNode("… ")); }
    shown.words.forEach(function (word, index) {
      if (index > 0) { paragraph.appendChild(document.createTextNode(" ")); }
      paragraph.appendChild(shown.marked[index] ? element("mark", "", word) : document.createTextNode(word));
    });
    if (shown.after) { paragraph.appendChild(document.createTextNode(" …")); }
    if (shown.words.join("")) { item.appendChild(paragraph); }
    return item;
  }

  /* The matching pages, best first; `partial` when Pagefind had more candidates than were read. */
  async function findPages(pagefind, query) {
    var folded = foldTurkish(query);
    var words = queryWords(folded);
    if (!words.length) { return { pages: [], partial: false }; }
    var search = await pagefind.search(folded);
    var candidates = search.results.slice(0, MAX_CHECKED);
    var datas = await Promise.all(candidates.map(function (result) { return result.data(); }));
    var pages = [];
    datas.forEach(function (data, rank) {
      var found = matchedLocations(data, words);
      if (found) { pages.push({ data: data, found: found, rank: rank, title: titleMatch(data, words) }); }
    });
    pages.sort(function (a, b) {
      return (b.title[0] - a.title[0]) || (b.title[1] - a.title[1]) || (a.rank - b.rank);
    });
    return { pages: pages, partial: search.results.length > candidates.length };
  }

  async function start(root, query) {
    var status = document.getElementById("arama-durum");
    var list = document.getElementById("arama-sonuclar");
    var more = document.getElementById("arama-daha");
    var base = root.getAttribute("data-dizin");
    status.textContent = "Aranıyor…";
    var pagefind = await import(base + "pagefind.js");
    var parts = [];
    try {
      var response = await fetch(base + "parcalar.json");
      var listed = response.ok ? await response.json() : {};
      parts = (Array.isArray(listed.parcalar) ? listed.parcalar : []).filter(function (name) {
        return /^[a-z0-9-]+$/.test(name);
      });
    } catch (error) { parts = []; }  // without the list, the undated pages are still searched
    await Promise.all(parts.map(function (name) { return pagefind.mergeIndex(base + name + "/"); }));
    var started = performance.now();
    var outcome = await findPages(pagefind, query);
    var pages = outcome.pages;
    root.setAttribute("data-sure-ms", String(Math.round(performance.now() - started)));
    var shown = 0;
    function showMore() {
      pages.slice(shown, shown + PAGE_SIZE).forEach(function (page) {
        list.appendChild(resultItem(page.data, page.found));
      });
      shown = Math.min(pages.length, shown + PAGE_SIZE);
      more.hidden = shown >= pages.length;
    }
    showMore();
    more.addEventListener("click", function () {
      var first = shown;
      showMore();
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) { link.focus(); }
    });
    status.textContent = !pages.length
      ? "“" + query + "” için sonuç bulunamadı. Yazımı denetleyin ya da daha az sözcükle arayın."
      : outcome.partial
        ? "“" + query + "” için en çok eşleşen " + MAX_CHECKED + " sayfadan " + pages.length
          + " sonuç gösteriliyor. Aramanızı daraltmak için sözcük ekleyin."
        : "“" + query + "” için " + pages.length + " sonuç bulundu.";
    root.setAttribute("data-durum", "hazir");
  }

  if (typeof document !== "undefined") {
    window.addEventListener("DOMContentLoaded", function () {
      var root = document.getElementById("arama");
      if (!root) { return; }
      var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
      var box = document.getElementById("q");
      if (box && query) { box.value = query; }
      var status = document.getElementById("arama-durum");
      if (!query) {
        status.textContent = "Aradığınız sözcüğü yukarıdaki arama kutusuna yazın.";
        root.setAttribute("data-durum", "hazir");
        return;
      }
      start(root, query).catch(function () {
        status.textContent = "Arama şu anda yapılamıyor. Lütfen daha sonra yeniden deneyin.";
        root.setAttribute("data-durum", "hata");
      });
    });
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { foldTurkish: foldTurkish, queryWords: queryWords, agrees: agrees };
  }
}());
