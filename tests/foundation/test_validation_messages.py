"""A refusal names a handful of offending fields, not every one a client sent (a 10,000-key body
must not come back as a 10,000-name message)."""

import pytest

MAX_NAMED = 5


def _assert_short(response, sent):
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "UNKNOWN_FIELDS"
    named = [name for name in sent if name in error["message"]]
    assert 1 <= len(named) <= MAX_NAMED and f"{len(sent) - len(named)} more" in error["message"]
    assert len(error["details"]["fields"]) <= MAX_NAMED and error["details"]["count"] == len(sent)
    assert len(response.get_data()) < 2000


BULK = {f"field_{i:03d}": i for i in range(500)}  # within the account endpoints' 16 KB


@pytest.mark.parametrize(
    "method,path",
    [
        ("put", "/api/users/profile"),
        ("post", "/api/wardrobe/category-sections"),
        ("post", "/api/fitting/check"),
    ],
)
def test_unknown_fields_are_named_a_handful_at_a_time(client, user, method, path):
    _assert_short(getattr(client, method)(path, headers=user["headers"], json=BULK), BULK)


def test_missing_fields_are_named_a_handful_at_a_time():
    from shared.errors import ValidationError
    from shared.validators import validate_required

    with pytest.raises(ValidationError) as refused:
        validate_required({}, [f"f{i}" for i in range(40)])
    assert refused.value.message.count("f") <= MAX_NAMED + 2 and "35 more" in refused.value.message
