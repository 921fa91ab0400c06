"""SCAFFOLD: placeholder for the fiches_organisations component (to be replaced)."""

from spacy.language import Language
from spacy.tokens import Doc


class _Placeholder:
    def __init__(self, config_dir: str = "") -> None:
        self.config_dir = config_dir

    def __call__(self, doc: Doc) -> Doc:
        return doc


@Language.factory("fiches_organisations", default_config={"config_dir": ""})
def make_component(nlp: Language, name: str, config_dir: str) -> _Placeholder:
    return _Placeholder(config_dir)
