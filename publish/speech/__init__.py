"""Speech: from a guide's lesson to its clips. Who speaks with which voice (cast), every sentence
as keyed synthesis jobs (plan), and the content-addressed clip cache with the pool that fills it
(synth).

May import the foundation, `publish.text`, `publish.engines` and `publish.guide`.
"""
