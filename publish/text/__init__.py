"""Spoken text: the `str → str` steps that turn what a guide writes into what a voice says.

Owns sentence splitting, the per-language normalisation steps, exact sounds (`[shown](/ipa/)`)
and text that remembers where each character came from. Pure functions over strings: it
imports nothing of publish but the foundation modules (`errors`, `config`, `writer`, `ffmpeg`,
`paper`, `digest`).
"""
