// The index's search, filters and sorting. Without this script the index is the plain, complete
// list of guides; with it, the form appears: filters and sorting rearrange that list, and a typed
// query asks the site's own Pagefind index (under the form's data-search folder; nothing is
// fetched from another host) and lists the guides whose pages hold the words.
const RESULTS_AT_ONCE = 10;

const form = document.getElementById("library-search");
if (form) start(form);

function start(form) {
  const cards = [...document.querySelectorAll(".guide-card")];
  const list = document.querySelector(".guide-list");
  const section = document.getElementById("search-results");
  const results = section.querySelector(".result-list");
  const more = section.querySelector(".more");
  const status = document.getElementById("search-status");
  const { q: query, language, field, sort } = form.elements;
  const search = loadSearch(form.dataset.search, [...language.options].map(o => o.value).filter(Boolean));
  let asked = 0;  // the latest search: an older one that answers late is dropped
  let pending = [];

  form.hidden = false;
  form.addEventListener("submit", event => event.preventDefault());
  form.addEventListener("input", update);
  more.addEventListener("click", () => show(pending.splice(0, RESULTS_AT_ONCE), asked));
  search.then(pagefind => { if (!pagefind) query.closest(".control").hidden = true; });

  function say(count) {
    status.textContent = count ? form.dataset.found.replace("{count}", count) : form.dataset.none;
  }

  async function update() {
    const asking = ++asked;
    const term = query.value.trim();
    if (!term) return filterCards();
    const pagefind = await search;
    if (!pagefind || asking !== asked) return;
    const found = await pagefind.search(term, { filters: chosenFilters() });
    if (asking !== asked) return;
    list.hidden = true;
    section.hidden = false;
    results.replaceChildren();
    const ordered = sort.value === "relevance" ? found.results : await sorted(found.results);
    if (asking !== asked) return;
    pending = [...ordered];
    say(unique(ordered).length);
    await show(pending.splice(0, RESULTS_AT_ONCE), asking);
  }

  function chosenFilters() {
    const chosen = {};
    if (language.value) chosen.language = language.value;
    if (field.value) chosen.field = field.value;
    return chosen;
  }

  // Sorting by title or date needs every result's data; by best match only the ones shown.
  async function sorted(found) {
    const data = await Promise.all(found.map(result => result.data()));
    const key = sort.value === "title" ? d => d.meta.title.toLocaleLowerCase() : d => d.meta.updated;
    const pairs = found.map((result, i) => ({ result, data: data[i] }));
    pairs.sort((a, b) => key(a.data) < key(b.data) ? -1 : key(a.data) > key(b.data) ? 1 : 0);
    if (sort.value === "updated") pairs.reverse();
    return pairs.map(pair => ({ ...pair.result, data: () => Promise.resolve(pair.data) }));
  }

  function unique(found) {
    return [...new Set(found.map(result => result.id))];
  }

  async function show(batch, asking) {
    const data = await Promise.all(batch.map(result => result.data()));
    if (asking !== asked) return;
    const listed = new Set([...results.querySelectorAll("a")].map(a => a.getAttribute("href")));
    for (const item of data) {
      if (!listed.has(item.url)) results.append(resultItem(item));
      listed.add(item.url);
    }
    more.hidden = pending.length === 0;
  }

  function filterCards() {
    section.hidden = true;
    list.hidden = false;
    const shown = cards.filter(card => (!language.value || card.dataset.language === language.value)
                                       && (!field.value || card.dataset.field === field.value));
    const order = sort.value === "title" ? byTitle : sort.value === "updated" ? byDate : () => 0;
    list.replaceChildren(...[...shown].sort(order));
    say(shown.length);
    if (shown.length === cards.length && sort.value === "relevance") status.textContent = "";
  }
}

function byTitle(a, b) {
  return a.querySelector("h2").textContent.localeCompare(b.querySelector("h2").textContent);
}

function byDate(a, b) {
  return b.dataset.updated.localeCompare(a.dataset.updated);
}

// A result: the guide's title linking its page, the words around the match (Pagefind marks them),
// and the lesson's length, all in the guide's own language.
function resultItem(item) {
  const entry = document.createElement("li");
  entry.lang = item.filters.language?.[0] || "";
  const heading = entry.appendChild(document.createElement("h3"));
  const link = heading.appendChild(document.createElement("a"));
  link.href = item.url;
  link.textContent = item.meta.title;
  const excerpt = entry.appendChild(document.createElement("p"));
  excerpt.className = "excerpt";
  excerpt.innerHTML = item.excerpt;  // Pagefind's own escaped text, with <mark> around the matched words
  if (item.meta.lesson) {
    const lesson = entry.appendChild(document.createElement("p"));
    lesson.className = "meta";
    lesson.textContent = item.meta.lesson;
  }
  return entry;
}

// Pagefind, with every language's index: one bundle holds an index per language, and a page
// searches only its own language's unless the others are merged in. Pagefind skips a merge whose
// address starts with the one it was loaded from, so the merges name the same folder as
// `…/pagefind/./` (absolute: its worker resolves addresses against its own). Resolves to null where
// the module cannot load (a page opened from a file).
async function loadSearch(folder, languages) {
  try {
    const bundle = new URL(folder, document.baseURI).href;
    const site = new URL(".", document.baseURI).pathname;  // results link pages under the index's folder
    const pagefind = await import(bundle + "pagefind.js");
    await pagefind.options({ excerptLength: 24, baseUrl: site });
    const own = document.documentElement.lang.toLowerCase();
    for (const code of languages.map(c => c.toLowerCase()).filter(c => c !== own)) {
      await pagefind.mergeIndex(bundle + "./", { language: code, baseUrl: site });
    }
    await pagefind.init();
    return pagefind;
  } catch (error) {
    console.warn("search unavailable:", error);
    return null;
  }
}
