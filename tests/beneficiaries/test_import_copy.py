"""On PostgreSQL the import writes with COPY: the same rows and history rows, column for
column, as the bulk_create_with_history path every other database takes."""

import datetime

import pytest
from django.db import connection
from django.forms.models import model_to_dict

from beneficiaries.imports import engine, writers
from beneficiaries.models import Household, Person
from tests.beneficiaries.import_helpers import csv_bytes, family, import_dir, run  # noqa: F401

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]
copy = writers.write_with_copy
IGNORED = {"id", "household", "created_at", "updated_at", "history_id", "history_date"}


def _written(model, key):
    rows = {}
    for obj in model.objects.all():
        data = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
        rows[data[key] if key in data else data["nik"]] = {
            k: v for k, v in data.items() if k not in IGNORED | {"household_id"}
        }
    return rows


def _everything():
    household_of = dict(Household.objects.values_list("pk", "kk_number"))
    persons = {p.nik: {**model_to_dict(p, exclude=list(IGNORED)), "kk": household_of[p.household_id]}
               for p in Person.objects.all()}  # fmt: skip
    return {
        "households": _written(Household, "kk_number"),
        "persons": persons,
        "household history": _written(Household.history.model, "kk_number"),
        "person history": _written(Person.history.model, "nik"),
    }


def test_copy_writes_the_same_rows_and_history_as_bulk_create(province, monkeypatch):
    """Two households of three through COPY, then the same file through the bulk path: every
    column of the households, persons and both history tables is the same (ids and the
    moment aside), history attributed to the importing user with the import as reason."""
    rows = family(1) + family(2, born=datetime.date(1975, 3, 4), sex="P")  # a female head
    copied = []
    monkeypatch.setattr(
        writers, "write_with_copy", lambda groups, **kw: copied.append(len(groups)) or copy(groups, **kw)
    )
    done = run(province, csv_bytes(rows), mode="commit")
    assert copied == [2]
    assert (done.status, done.persons_written) == ("done", 6), done.rejections
    by_copy = _everything()
    assert by_copy["person history"] and {r["history_type"] for r in by_copy["person history"].values()} == {
        "+"
    }
    record = Person.history.first()
    assert (record.history_user, record.history_change_reason) == (province, "Impor p3ke.csv")
    assert Person.objects.filter(is_female_head=True).count() == 1

    for model in (Person, Household, Person.history.model, Household.history.model):  # history last
        model.objects.all().delete()
    monkeypatch.setattr(writers, "write_with_copy", writers.write_with_bulk_create)
    monkeypatch.setattr(engine, "WRITE_IN_THREAD", False)  # Django's connection is this thread's
    done = run(province, csv_bytes(rows), mode="commit", name="p3ke.csv")
    assert done.persons_written == 6
    by_bulk = _everything()
    differences = {
        (table, key, field): (by_copy[table][key].get(field), value)
        for table, rows in by_bulk.items()
        for key, row in rows.items()
        for field, value in row.items()
        if by_copy[table].get(key, {}).get(field) != value
    }
    assert differences == {}
    assert by_bulk == by_copy


def test_batches_written_from_the_thread_commit_in_order_and_see_each_other(province, settings, monkeypatch):
    """One household a batch, each copied from the writer thread while the next is checked:
    a NIK of an earlier batch is refused in a later one (in the file), every valid household
    is written with its history, and the same file again writes nothing new."""
    settings.IMPORT_BATCH_SIZE = 3
    threads = []
    real = writers.write
    monkeypatch.setattr(writers, "write", lambda *a, **kw: threads.append(kw.get("raw")) or real(*a, **kw))
    rows = family(1) + family(2) + family(3)
    twice = {**family(4)[0], "NIK": rows[0]["NIK"]}  # the head of KK 1 again, in KK 4
    done = run(province, csv_bytes(rows + [twice, *family(4)[1:]]), mode="partial")
    assert (done.households_written, done.persons_written) == (3, 9)
    assert len(threads) == 3 and all(raw is not None for raw in threads)  # written by the thread
    assert [r[0] for r in done.rejections][:1] == [11] and "sudah ada di baris 2" in done.rejections[0][2]
    assert Household.objects.count() == 3 and Person.history.count() == 9 and Household.history.count() == 3
    again = run(province, csv_bytes(rows), mode="partial", name="lagi.csv")
    assert (again.households_existing, again.households_written, Person.objects.count()) == (3, 0, 9)


def test_a_failing_batch_in_the_thread_rolls_back_alone_in_partial_mode(province, settings, monkeypatch):
    """The second batch fails while being copied: the first stays written and counted, the
    second is rolled back, the run is `failed` and nothing of it remains."""
    settings.IMPORT_BATCH_SIZE = 3
    real, calls = writers.write, []

    def second_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(writers, "write", second_fails)
    done = run(province, csv_bytes(family(1) + family(2) + family(3)), mode="partial")
    assert done.status == "failed"
    assert (done.households_written, Household.objects.count(), Person.history.count()) == (1, 1, 3)
