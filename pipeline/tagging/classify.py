"""The tagger's public entry points, gathered from the modules that implement them (corpus,
ensemble, dimension, tagger, crossval, persistence), for the command line and other stages."""

from pipeline.tagging.card import ModelError
from pipeline.tagging.corpus import TrainingError
from pipeline.tagging.crossval import cross_evaluate
from pipeline.tagging.persistence import Suggester, load, load_suggester, save, train
from pipeline.tagging.tagger import Suggestion, Tagger
from pipeline.tagging.vocabulary import Labels, load_labels, load_thesaurus

__all__ = ["Labels", "ModelError", "Suggester", "Suggestion", "Tagger", "TrainingError",
           "cross_evaluate", "load", "load_labels", "load_suggester", "load_thesaurus", "save",
           "train"]
