"""Which media type a client gets for its ``Accept`` header, and the status that goes with it."""

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


def test_a_refused_document_is_a_400_for_the_new_type_and_a_200_for_the_old() -> None:
    refused = {"errors": [{"message": "x", "extensions": {"code": "GRAPHQL_PARSE_FAILED"}}]}
    assert NEW.status(refused) == 400
    assert OLD.status(refused) == 200
    executed = {"data": None, "errors": [{"message": "x", "path": ["enterprise"]}]}
    assert NEW.status(executed) == OLD.status(executed) == 200
    ours = {"errors": [{"message": "x", "extensions": {"code": "INTERNAL"}}]}
    assert NEW.status(ours) == 500
