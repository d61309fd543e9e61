"""The braille edition of a guide, made with liblouis: tables by language (`tables`), the guide as
braille blocks (`blocks`), characters a code cannot write (`characters`), lines and pages after
BANA's *Braille Formats* (`lines`, `pages`), the edition itself (`edition`), its BRF and PEF files
(`files`) and the format the registry lists (`output`). docs/braille.md says what is followed."""
