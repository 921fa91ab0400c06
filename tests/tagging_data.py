"""A small vocabulary and thesaurus the tagger's tests train on (shared by their modules)."""

from pipeline.tagging import vocabulary as vc

LABELS = vc.Labels(keywords=("Viellissement", "Culture", "Petite Enfance"),
                  dimensions=("Citoyenneté", "Services"))
THESAURUS = {
    "keywords": {
        "Viellissement": {"terms": ["personnes âgées", "seniors", "EHPAD", "vieill*"]},
        "Culture": {"terms": ["théâtre", "musique*", "spectacle*"]},
        "Petite Enfance": {"terms": ["crèche*", "tout-petits"], "related": ["éveil"]},
    },
    "dimensions": {"Citoyenneté": {"terms": ["citoyen*", "débat*"]},
                   "Services": {"terms": ["permanence*", "accueil"]}},
}
