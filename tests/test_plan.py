"""The lesson's plan (publish.speech.plan): the live preview's plan starts from what `publish build`
spoke — each turn by the published cast where its clips exist, else by the draft cast."""

from __future__ import annotations

from conftest import SHORT_GUIDE
from publish.config import AudioConfig
from publish.guide.source import load_guide
from publish.speech.plan import plan_lesson, plan_preview


def test_the_preview_speaks_with_the_draft_cast_only_the_turns_that_have_no_clip():
    guide = load_guide(SHORT_GUIDE)
    config = AudioConfig()
    published = plan_lesson(guide, config)
    draft = plan_lesson(guide, AudioConfig(draft=True))
    assert {t.voice.engine for t in published.turns} == {"hibari", "kokoro"}
    assert {t.voice.engine for t in draft.turns} == {"hibari", "piper"}

    built = {job.key for job in published.jobs}
    as_built = plan_preview(guide, config, None, None, built.__contains__)
    assert [t.voice for t in as_built.turns] == [t.voice for t in published.turns] and as_built.cast == "published"
    assert {job.key for job in as_built.jobs} == built, "after publish build, the preview speaks nothing"

    edited = next(t for t in published.turns if t.voice.engine == "kokoro")  # one of Theo's turns, not spoken yet
    missing = {job.key for sentence in edited.sentences for job in sentence.jobs}
    preview = plan_preview(guide, config, None, None, lambda key: key in built - missing)
    changed = [(ours.voice, theirs.voice) for ours, theirs in zip(preview.turns, published.turns) if ours.voice != theirs.voice]
    assert changed == [(draft.turns[published.turns.index(edited)].voice, edited.voice)]
    assert preview.cast == "draft", "the page says the preview has draft voices"
    assert {spec.name for spec in preview.specs} == {"hibari", "kokoro", "piper"}
    # Turns whose voice is the same in both casts (Maya's hibari) stay as published, spoken or not.
    hibari = plan_preview(guide, config, None, None, lambda key: False)
    assert all(t.voice == p.voice for t, p in zip(hibari.turns, published.turns) if p.voice.engine == "hibari")
