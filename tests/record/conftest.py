import datetime

import pytest


def change_form_data(response, **changes) -> dict:
    """What the browser posts back from an admin change form, as shown, with ``changes``
    (field name or ``prefix-0-field`` of an inline row) applied."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {management.add_prefix(name): management[name].value() for name in management.fields}
        )
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            if isinstance(value, datetime.date):
                value = value.isoformat()
            data[form.add_prefix(name)] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


@pytest.fixture
def post_change_form(editor_client):
    """Open an admin change page, change some fields, press Save."""

    def post(url, **changes):
        shown = editor_client.get(url)
        assert shown.status_code == 200
        return editor_client.post(url, change_form_data(shown, **changes))

    return post
