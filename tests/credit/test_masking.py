"""credit.masking: numbers masked wherever a text carries them, in every written form."""

from __future__ import annotations

import pytest

from credit.masking import mask_numbers_in

ID = "11010519491231002X"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"Value '{ID}' does not exist", "Value '1101**********002X' does not exist"),
        (f"glued X{ID}", "glued X1101**********002X"),
        ("110105 1949 1231 002x", "1101**********002x"),
        ("110105-19491231-002X", "1101**********002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "１１０１**********００２Ｘ"),
        ("call 139 1234 5678", "call 139****5678"),
        ("call 13912345678.", "call 139****5678."),
    ],
)
def test_numbers_are_masked_in_every_form(text: str, shown: str) -> None:
    assert mask_numbers_in(text) == shown


@pytest.mark.parametrize(
    "text", ["ts 20261122093015123456", "amount 1234567", "uscc 91640104P5H4MY366K"]
)
def test_other_numbers_are_left_alone(text: str) -> None:
    assert mask_numbers_in(text) == text
