"""The catalogs of Italian, Brazilian Portuguese, Simplified Chinese, Japanese, Hindi and British
English: found by the guide's language tag, complete where they should be, and no English fixed
word left in what a reader of a guide in these languages sees, read back by each format's reader."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURES, make_project, run_build
from publish.outputs import i18n
from test_i18n import english_messages, fragments, readers_text


@pytest.mark.parametrize("language, catalog", [
    ("pt-BR", "pt_BR"), ("pt", "pt_BR"), ("pt-PT", "pt_BR"), ("zh-Hans", "zh_Hans"), ("zh", "zh_Hans"),
    ("zh-CN", "zh_Hans"), ("zh-TW", None), ("zh-Hant", None), ("ja", "ja"), ("hi", "hi"), ("hi-IN", "hi"),
    ("it", "it"), ("en-GB", "en_GB"), ("en", None), ("en-US", None), ("es-MX", "es"), ("not a tag", None),
])
def test_a_guide_finds_its_catalog_by_its_language_tag(language, catalog):
    # Traditional Chinese never reads the simplified catalog: it reads English until it has its own.
    found = i18n.catalog_path(language)
    assert (found.stem if found else None) == catalog


def test_british_english_says_only_what_differs():
    _ = i18n.translator("en-GB")
    assert _("Captions") == "Subtitles" and _("$ · low") == "£ · low"
    assert _("Listen and download") == "Listen and download"  # the same words: taken from the English ids
    assert i18n.translator("en")("Captions") == "Captions"


# language → (fixture, words each format must show, in the language's own form)
GUIDES = {
    "it": ("it.md", {"page": ["Ascolta e scarica", "Aggiornato il 7 dicembre 2026"], "it.pdf": ["Pagina 1 di", "60%"],
                     ".txt": ["Trascrizione della guida audio"]}),
    "pt-BR": ("pt-br.md", {"page": ["Ouvir e baixar", "Atualizado em 7 de dezembro de 2026"],
                           "pt-br.pdf": ["Página 1 de", "80%"], ".txt": ["Transcrição do guia em áudio"]}),
    "zh-Hans": ("zh.md", {"page": ["收听与下载", "更新于 2026年12月7日"], "zh.pdf": ["第 1 页，共", "¥ · 低"],
                          ".txt": ["音频指南文稿"]}),
    "ja": ("ja.md", {"page": ["聞く・ダウンロード", "2026年12月7日 更新"], "ja.pdf": ["1 / ", "¥¥ · 中"],
                     ".txt": ["音声ガイドの書き起こし"]}),
    "hi": ("hi.md", {"page": ["सुनें और डाउनलोड करें", "7 दिसंबर 2026"], "hi.pdf": ["में से पृष्ठ 1", "₹ · कम"],
                     ".txt": ["ऑडियो गाइड का प्रतिलेख"]}),
}


@pytest.fixture(scope="module", params=sorted(GUIDES))
def built(request, tmp_path_factory):
    language = request.param
    name, _ = GUIDES[language]
    project = make_project(tmp_path_factory.mktemp(language.lower()), guides=[FIXTURES / name],
                           extra=f'language = "{language}"\n')
    report = run_build(project)
    assert report.ok, [r.problems for r in report.results]
    return language, name.removesuffix(".md"), readers_text(project, name.removesuffix(".md"), language)


def test_no_english_fixed_word_reaches_a_reader(built):
    language, slug, texts = built
    _ = i18n.translator(language)
    # A word the language's catalog keeps as it is (Portuguese "Downloads") is that language's word too.
    english = sorted({fragment for message in english_messages() for fragment in fragments(message)
                      if fragment not in _(message)})
    assert {"Listen and download", "Updated", "Transcript"} <= set(english)  # the scan has teeth
    assert set(texts) >= {"page", "index", "feed", f"{slug}.pdf", f"{slug}-large-print.pdf", "epub", ".txt", ".md",
                          ".vtt", ".srt"}
    texts = {name: re.sub(r"https?://\S+", " ", text) for name, text in texts.items()}
    found = {name: [f for f in english if re.search(rf"(?<![^\W\d_]){re.escape(f)}(?![^\W\d_])", text)]
             for name, text in texts.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}
    for name, words in GUIDES[language][1].items():  # spaces aside: pdftotext drops some beside CJK
        shown = re.sub(r"\s", "", texts[name])
        assert all(re.sub(r"\s", "", word) in shown for word in words), (name, words, shown[:600])


@pytest.mark.parametrize("name, written, hint", [
    ("it.md", "basso", "use basso, medio, alto (or $, $$, $$$)"),
    ("pt-br.md", "baixo", "use baixo, médio, alto (or $, $$, $$$)"),
    ("zh.md", "低", "use 低, 中, 高 (or $, $$, $$$)"),
    ("ja.md", "中", "use 低, 中, 高 (or $, $$, $$$)"),
    ("hi.md", "कम", "use कम, मध्यम, ऊँचा (or $, $$, $$$)"),
])
def test_cost_levels_and_the_lesson_heading_in_the_guides_own_words(tmp_path, name, written, hint):
    from publish.errors import GuideError
    from publish.guide.source import load_guide

    text = (FIXTURES / name).read_text(encoding="utf-8")
    line = text.splitlines().index(f"  cost: {written}") + 1
    guide = load_guide(_write(tmp_path / name, text))
    # The lesson is found under its heading in the guide's words (`# 音频课`, `# ऑडियो पाठ` …), every part of it.
    written_parts = text.split("\n# ")[-1].count("\n## ")
    assert guide.lesson is not None and len(guide.lesson.parts) == written_parts >= 2
    assert [block for section in guide.sections for block in section.blocks if hasattr(block, "routes")][0].routes[0].cost
    with pytest.raises(GuideError) as caught:
        load_guide(_write(tmp_path / f"bad-{name}", text.replace(f"cost: {written}", "cost: cheap", 1)))
    [problem] = caught.value.problems
    assert (problem.line, problem.hint) == (line, hint)


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path
