"""Which media type a client gets for its ``Accept`` header, and a request error's status."""

from __future__ import annotations

import pytest

from gateway.media_types import MediaType, negotiate

NEW, OLD = MediaType.GRAPHQL_RESPONSE, MediaType.JSON


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, OLD),
        ("", OLD),
        ("*/*", OLD),
        ("application/json", OLD),
        ("application/graphql-response+json", NEW),
        ("application/graphql-response+json, application/json", NEW),
        ("application/json, application/graphql-response+json", OLD),  # first wins on a tie
        ("application/json;q=0.9, application/graphql-response+json", NEW),
        ("application/graphql-response+json;q=0, application/json", OLD),
        ("text/html", None),
        ("application/graphql-response+json;q=bad", None),
    ],
)
def test_negotiate(accept: str | None, expected: MediaType | None) -> None:
    assert negotiate(accept) == expected


def test_a_request_error_is_a_400_for_the_new_type_and_a_200_for_the_old() -> None:
    assert NEW.request_error_status == 400
    assert OLD.request_error_status == 200
