"""Guides: reading a guide file into the typed model, and finding the guides of a project.

Owns the guide format (front matter, sections, blocks, the lesson) and every message about a
guide's source, with its file and line. May import the foundation, `publish.text` (to check that
lesson text can be spoken) and `publish.engines` (to check the voices a guide names).
"""
