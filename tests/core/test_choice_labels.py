"""core.models.ChoiceLabels: get_FOO_display from a dict built once, in the active language."""

from django.utils import translation

from beneficiaries.models import Person, Relation


def test_it_gives_the_label_in_the_active_language():
    person = Person(relation=Relation.HEAD)
    with translation.override("id"):
        assert person.get_relation_display() == "Kepala keluarga"
    with translation.override("en"):
        assert person.get_relation_display() == "Head of household"
    with translation.override("id"):
        assert person.get_relation_display() == "Kepala keluarga", "the cached labels stay lazy"


def test_it_gives_a_value_without_a_choice_as_it_is():
    assert Person(relation="unknown").get_relation_display() == "unknown"
    assert Person(relation=None).get_relation_display() is None
