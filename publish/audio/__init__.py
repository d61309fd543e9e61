"""Audio: from clips to the lesson's sound. Placing clips into the timeline (where every turn,
sentence and word sits, in samples), matching the hosts' levels, mastering and encoding, and
listening back with a recogniser (proof).

May import the foundation, `publish.text`, `publish.engines`, `publish.guide` and `publish.speech`.
"""

# How the lesson's levels are set (publish.audio.levels), part of the audio's build key: a change
# here rebuilds every lesson's MP3 from its cached clips. 2: each voice limited against its own level.
LEVELS = "2"
