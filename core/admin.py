"""The admin toolkit: one mixin every ModelAdmin and inline of Banten PM uses.

Rows, foreign-key dropdowns, autocomplete, filter choices, inlines and history pages all
come from `Model.objects.visible_to(user)` or the regions selectors, through the related
model's own admin, so a rule about visibility lives in the selectors and nowhere here.
Writes go through the services: a DomainError they raise is shown on the form, with the
field named, and nothing is written.
"""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
from django.http import Http404
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from unfold.contrib.filters.admin import ChoicesDropdownFilter, RelatedDropdownFilter

from .errors import DomainError
from .formatting import long_date, rupiah
from .search import recall


def rupiah_text(contents) -> str:
    """For unfold's readonly_preprocess_fields: the rendered number shown as rupiah."""
    digits = "".join(ch for ch in str(contents) if ch.isdigit())
    return rupiah(int(digits)) if digits else str(contents)


def nowrap(text) -> str:
    """A list cell that must not break, such as `Rp 1.250.000`."""
    return format_html('<span class="whitespace-nowrap">{}</span>', text)


def flat(fields) -> list[str]:
    """Field names of a `fields` list that may hold tuples (one row, several fields)."""
    return [name for item in fields for name in (item if isinstance(item, tuple | list) else [item])]


def add_domain_errors(form, error: DomainError, *, label=str) -> None:
    """Put a service's errors on the form fields they name; the rest on top of the form,
    prefixed with `label(key)` so the official still sees which input is meant."""
    for field, problems in error.errors.items():
        target = field if field in form.fields else None
        for problem in problems:
            # A stale save (field "version") says it all in its message.
            prefix = label(field) if target is None and field not in (NON_FIELD_ERRORS, "version") else ""
            if prefix:
                problem = f"{prefix}: {problem}"
            form.add_error(target, problem)


def related_queryset(admin_site, model, request):
    """The rows of `model` this user may pick: the registered admin's scoped queryset, or the
    model's own `visible_to`; when neither exists, all rows for a superuser (permissions,
    say) and none for anyone else (fail closed)."""
    related_admin = admin_site._registry.get(model)
    if related_admin is not None:
        return related_admin.get_queryset(request)
    manager = model._default_manager
    if hasattr(manager.get_queryset(), "visible_to"):
        return manager.visible_to(request.user)
    return manager.all() if request.user.is_superuser else manager.none()


class ScopedFormMixin:
    """Everything both ModelAdmins and inlines need: scoped rows and scoped dropdowns."""

    scoped_select_related: tuple[str, ...] = ()

    def visible_queryset(self, request):
        return self.model._default_manager.visible_to(request.user)

    def get_queryset(self, request):
        qs = self.visible_queryset(request)
        ordering = self.get_ordering(request)
        if ordering:
            qs = qs.order_by(*ordering)
        if self.scoped_select_related:
            qs = qs.select_related(*self.scoped_select_related)
        return qs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = related_queryset(self.admin_site, db_field.related_model, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = related_queryset(self.admin_site, db_field.related_model, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdminMixin(ScopedFormMixin):
    """Put first in the bases of every ModelAdmin: `class X(ScopedAdminMixin, ModelAdmin)`.

    Out-of-region objects are 404 on the change, delete and history pages (not the default
    redirect, which would tell that the row exists). A DomainError raised by a service in
    `save_model`/`save_related` rolls the whole save back and re-shows the form with the
    error on the field it names.
    """

    list_filter_submit = True
    # The search box POSTs; the list gets `q=~<keyed hash>`, never the NIK or name itself.
    search_by_reference = True
    # Inside the change form: the version the form was opened with (optimistic locking).
    change_form_before_template = "admin/version_field.html"
    object_history_list_template = "admin/history_list.html"
    list_per_page = 50
    warn_unsaved_form = True

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(_("%(name)s tidak ditemukan.") % {"name": opts.verbose_name.capitalize()})

    def history_view(self, request, object_id, extra_context=None):
        # simple_history falls back to the last historical record when the object is not in
        # get_queryset(): that would show another village's history, so refuse first.
        if self.get_object(request, object_id) is None:
            self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET" or self.get_object(request, object_id) is None:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True  # a revert would write around the services

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            # The save ran in changeform_view's transaction, now rolled back. Validate the
            # same POST again with the service's errors attached, so the form re-renders.
            request._domain_error = error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        error = getattr(request, "_domain_error", None)
        if error is None:
            return form

        label = self.domain_error_label

        class WithDomainErrors(form):
            def _post_clean(self):
                super()._post_clean()
                add_domain_errors(self, error, label=label)

        WithDomainErrors.__name__ = form.__name__
        return WithDomainErrors

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        changelist.request_path = request.path  # the search box posts back to this list
        changelist.search_term_shown = recall(request, changelist.query)
        return changelist

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, recall(request, search_term))

    def expected_version(self, request) -> int | None:
        """The version of the row the change form was opened with; the service refuses the
        save when the row changed since."""
        value = request.POST.get("seen_version", "")
        return int(value) if value.isdigit() and len(value) < 10 else None

    def domain_error_label(self, field: str) -> str:
        """A readable name for a service error key that is not a field of the main form: the
        verbose name of that field on the model or on one of its inlines."""
        for model in [self.model, *(inline.model for inline in self.inlines)]:
            try:
                return capfirst(model._meta.get_field(field).verbose_name)
            except FieldDoesNotExist:
                continue
        return ""


class ScopedInlineMixin(ScopedFormMixin):
    """Put first in the bases of every inline."""

    tab = False


def copy_saved(target, saved) -> None:
    """The admin keeps its own instance; make it the row the service wrote."""
    target.__dict__.update(saved.__dict__)


def mark_formset_saved(formset, new=(), changed=(), deleted=()) -> None:
    """construct_change_message reads these, which formset.save() would have set."""
    formset.new_objects = list(new)
    formset.changed_objects = list(changed)
    formset.deleted_objects = list(deleted)


# ---------------------------------------------------------------- list filters


class ScopedRelatedFilter(RelatedDropdownFilter):
    """A related-field dropdown whose choices are the rows the user may see."""

    def field_choices(self, field, request, model_admin):
        rows = related_queryset(model_admin.admin_site, field.related_model, request)
        return [(row.pk, str(row)) for row in rows]


class MissingAs404Mixin:
    """For the admins other packages register (sign-in records, second-factor devices, task
    schedules): a row the user may not view answers exactly as a missing one, a 404, where
    Django's admin answers 403 for a row that exists and a redirect for one that does not
    (which tells a reader which ids exist)."""

    def get_object(self, request, object_id, from_field=None):
        if not self.has_view_or_change_permission(request):
            return None
        return super().get_object(request, object_id, from_field)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(_("%(name)s tidak ditemukan.") % {"name": opts.verbose_name.capitalize()})

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, object_id) is None:
            self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)


def fail_closed(site) -> None:
    """Give every registered admin that is not one of ours (ScopedAdminMixin) the 404 of
    MissingAs404Mixin. Runs once every admin module is imported (CoreConfig.ready)."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, ScopedAdminMixin | MissingAs404Mixin):
            continue
        hardened = type(type(model_admin).__name__, (MissingAs404Mixin, type(model_admin)), {})
        site.unregister(model)
        site.register(model, hardened)


__all__ = [
    "flat",
    "long_date",
    "nowrap",
    "rupiah_text",
    "ChoicesDropdownFilter",
    "ScopedAdminMixin",
    "ScopedInlineMixin",
    "ScopedRelatedFilter",
    "add_domain_errors",
    "copy_saved",
    "fail_closed",
    "mark_formset_saved",
    "related_queryset",
    "rupiah",
]
