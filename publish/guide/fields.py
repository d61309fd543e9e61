"""Career fields: the fixed list a guide's `field:` names one of, so the index can filter guides
of every language by one field ("hospitality" is the same filter for a cook's guide in English
and in Spanish). The labels are English message ids; `outputs/i18n.py` marks them for the
catalogs, and readers see them in their language."""

from __future__ import annotations

FIELDS: dict[str, str] = {
    "agriculture": "Agriculture and natural resources",
    "arts": "Arts, media and design",
    "business": "Business and finance",
    "construction": "Construction and trades",
    "education": "Education",
    "energy": "Energy and utilities",
    "health": "Health care",
    "hospitality": "Hospitality and food",
    "law": "Law and public safety",
    "manufacturing": "Manufacturing",
    "public-service": "Government and public service",
    "science": "Science and engineering",
    "social": "Social and community services",
    "technology": "Computing and technology",
    "transport": "Transport and logistics",
}
