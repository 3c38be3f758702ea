"""USCC (GB 32100 with the embedded GB 11714 check) and citizen ID (GB 11643), DOMAIN.md §1.

Every code here is synthetic: built in the test from the check functions, or one of the worked
examples the standard's readers pass around.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credit.identifiers import (
    USCC_ALPHABET,
    AmbiguousCreditCode,
    CodeKind,
    InvalidCodeReason,
    InvalidCreditCode,
    citizen_id_check_char,
    classify_code,
    gb11714_check_char,
    is_registration_number,
    normalise_code,
    registration_number_check_digit,
    uscc_check_char,
    validate_citizen_id,
    validate_code,
    validate_uscc,
)
from credit.masking import DASHES, INVISIBLES

TODAY = dt.date(2026, 11, 22)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def make_uscc(head: str, org_body: str) -> str:
    """A valid USCC from 8 head characters (authority, type, division) and an 8-char org body."""
    first17 = head + org_body + gb11714_check_char(org_body)
    return first17 + uscc_check_char(first17)


def make_id(first17: str) -> str:
    return first17 + citizen_id_check_char(first17)


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


# --- worked examples -----------------------------------------------------------------------


def test_worked_example_uscc_sum_538_gives_l() -> None:
    assert uscc_check_char("91110000600037341") == "L"
    assert validate_uscc("91110000600037341L") == "91110000600037341L"


def test_worked_example_with_letters_in_org_code_is_valid() -> None:
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"


def test_often_copied_z_variant_is_rejected() -> None:
    with pytest.raises(InvalidCreditCode) as caught:
        validate_uscc("91350100M000100Y4Z")
    # Z is not in the 31-character alphabet, so the character check rejects it first.
    assert caught.value.reason is InvalidCodeReason.CHARSET


def test_worked_example_id_sum_167_gives_x() -> None:
    assert citizen_id_check_char("11010519491231002") == "X"
    assert validate_citizen_id("11010519491231002X", today=TODAY) == "11010519491231002X"


# --- normalisation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        " 9111 0000-600037341l ",
        "91110000-6000-3734-1L",
        "91110000600037341l",
        full_width("91110000600037341L"),
        "\u3000" + full_width("9111-0000") + "600037341L",
        "\t91110000600037341L\n",
    ],
)
def test_uscc_normalisation(raw: str) -> None:
    assert validate_uscc(raw) == "91110000600037341L"
    assert validate_code(raw, today=TODAY) == (CodeKind.USCC, "91110000600037341L")


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        "110105 19491231 002x",
        "110105-19491231-002X",
        full_width("11010519491231002x"),
    ],
)
def test_id_normalisation_accepts_lower_case_x(raw: str) -> None:
    assert validate_citizen_id(raw, today=TODAY) == "11010519491231002X"
    assert validate_code(raw, today=TODAY) == (CodeKind.CITIZEN_ID, "11010519491231002X")


def test_normalise_code_is_idempotent_and_upper_cases() -> None:
    assert normalise_code("ｎ２ab-cd") == "N2ABCD"
    assert normalise_code(normalise_code(" a-b ")) == "AB"


# --- failure reasons -----------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "9111000060003734", "91110000600037341LL", "1101051949123100"])
def test_length(raw: str) -> None:
    for validate in (validate_uscc, validate_code):
        with pytest.raises(InvalidCreditCode) as caught:
            validate(raw)
        assert caught.value.reason is InvalidCodeReason.LENGTH
    with pytest.raises(InvalidCreditCode) as caught:
        validate_citizen_id(raw, today=TODAY)
    assert caught.value.reason is InvalidCodeReason.LENGTH


@pytest.mark.parametrize(
    "raw",
    [
        "91110000600037341I",  # I, O, S, V, Z are not in the alphabet
        "9111000060003734OL",
        "S1110000600037341L",
        "91V10000600037341L",
        "911100006000373.1L",
        "91A10000600037341L",  # positions 3-8 are a numeric division code
    ],
)
def test_uscc_charset(raw: str) -> None:
    with pytest.raises(InvalidCreditCode) as caught:
        validate_uscc(raw)
    assert caught.value.reason is InvalidCodeReason.CHARSET


@pytest.mark.parametrize("raw", ["1101051949123100A2", "11010519491231002Y", "X1010519491231002X"])
def test_id_charset(raw: str) -> None:
    with pytest.raises(InvalidCreditCode) as caught:
        validate_citizen_id(raw, today=TODAY)
    assert caught.value.reason is InvalidCodeReason.CHARSET


def test_uscc_checksum() -> None:
    with pytest.raises(InvalidCreditCode) as caught:
        validate_uscc("91110000600037341M")
    assert caught.value.reason is InvalidCodeReason.CHECKSUM


def test_uscc_org_checksum_with_a_correct_uscc_check() -> None:
    # A wrong org check char, with the USCC check recomputed so that only GB 11714 fails.
    first16 = "9111000060003734"
    wrong_org = "2" if gb11714_check_char(first16[8:]) != "2" else "3"
    code = first16 + wrong_org + uscc_check_char(first16 + wrong_org)
    with pytest.raises(InvalidCreditCode) as caught:
        validate_uscc(code)
    assert caught.value.reason is InvalidCodeReason.ORG_CHECKSUM


def test_id_checksum() -> None:
    with pytest.raises(InvalidCreditCode) as caught:
        validate_citizen_id("110105194912310021", today=TODAY)
    assert caught.value.reason is InvalidCodeReason.CHECKSUM


@pytest.mark.parametrize(
    "birth",
    [
        "19900230",  # 30 February
        "19901301",  # month 13
        "19900001",  # month 0
        "19900100",  # day 0
        "19010229",  # not a leap year
        "20261123",  # tomorrow, given TODAY
        "20300101",  # the future
    ],
)
def test_birth_date(birth: str) -> None:
    code = make_id("640104" + birth + "123")  # a correct check char: only the date is wrong
    with pytest.raises(InvalidCreditCode) as caught:
        validate_citizen_id(code, today=TODAY)
    assert caught.value.reason is InvalidCodeReason.BIRTH_DATE


def test_birth_today_and_leap_day_are_valid() -> None:
    for birth in ("20261122", "20000229"):
        code = make_id("640104" + birth + "123")
        assert validate_citizen_id(code, today=TODAY) == code


def test_error_carries_reason_and_no_code() -> None:
    code = "11010519491231002Y"
    with pytest.raises(InvalidCreditCode) as caught:
        validate_citizen_id(code, today=TODAY)
    err = caught.value
    assert err.extensions() == {"code": "INVALID_CREDIT_CODE", "reason": "charset"}
    assert code not in str(err)
    assert str(err).startswith("无效的信用主体代码")


# --- edges that public libraries get wrong -------------------------------------------------


@pytest.mark.parametrize("head", ["N2640104", "N1640302", "Y1640500", "A1640104"])
def test_codes_whose_first_character_is_a_letter(head: str) -> None:
    code = make_uscc(head, "MA0K3P7W")
    assert validate_uscc(code) == code
    assert validate_code(code, today=TODAY) == (CodeKind.USCC, code)


def test_uscc_whose_weighted_sum_is_a_multiple_of_31() -> None:
    weights = [pow(3, i, 31) for i in range(17)]
    for tail in itertools.product("0123456789", repeat=4):
        body = "MA00" + "".join(tail)
        first17 = "91640104" + body + gb11714_check_char(body)
        total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, weights, strict=True))
        if total % 31 == 0:
            break
    else:  # pragma: no cover - 10,000 candidates always contain one
        raise AssertionError("no candidate")
    assert uscc_check_char(first17) == "0"
    assert validate_uscc(first17 + "0") == first17 + "0"


def _org_sum(body: str) -> int:
    return sum(int(ch, 36) * w for ch, w in zip(body, ORG_WEIGHTS, strict=True))


@pytest.mark.parametrize(("remainder", "check"), [(1, "X"), (0, "0")])
def test_gb11714_remainders_10_and_11(remainder: int, check: str) -> None:
    # r = 11 - (S mod 11): S ≡ 1 gives r = 10 → X; S ≡ 0 gives r = 11 → 0 (never "11").
    bodies = ("".join(t) for t in itertools.product("0A7K", repeat=8))
    body = next(b for b in bodies if _org_sum(b) % 11 == remainder and b != "00000000")
    assert gb11714_check_char(body) == check
    code = make_uscc("91640104", body)
    assert code[16] == check
    assert validate_uscc(code) == code


def test_gb11714_simple_cases() -> None:
    assert gb11714_check_char("00000000") == "0"
    assert gb11714_check_char("00000006") == "X"  # 6 x 2 = 12 ≡ 1 (mod 11)
    assert gb11714_check_char("00000001") == "9"  # 11 - 2


# --- dispatch ------------------------------------------------------------------------------


def _all_digit_uscc_looking_like_an_id(year_prefix: str) -> str:
    # 事业单位 (12) whose division ends in "19"/"20": positions 7-8 look like a birth century.
    for n in range(100_000):
        body = f"{n:08d}"
        org = gb11714_check_char(body)
        first17 = "126401" + year_prefix + body + org
        check = uscc_check_char(first17)
        code = first17 + check
        if org.isdigit() and check.isdigit():
            try:
                validate_citizen_id(code, today=TODAY)
            except InvalidCreditCode:
                return code
    raise AssertionError("no candidate")  # pragma: no cover


@pytest.mark.parametrize("year_prefix", ["19", "20"])
def test_all_digit_uscc_that_looks_like_an_id_is_a_uscc(year_prefix: str) -> None:
    code = _all_digit_uscc_looking_like_an_id(year_prefix)
    assert classify_code(code) is CodeKind.CITIZEN_ID  # the shape alone says ID…
    assert validate_code(code, today=TODAY) == (CodeKind.USCC, code)  # …validation says USCC


def test_dispatch_letters_mean_uscc() -> None:
    assert classify_code("91110000600037341L") is CodeKind.USCC
    assert classify_code("11010519491231002X") is CodeKind.CITIZEN_ID
    # digits only, but positions 7-8 are no birth century: read as a USCC
    assert classify_code("123456780000000000") is CodeKind.USCC


def test_dispatch_keeps_the_id_error_when_both_fail() -> None:
    code = make_id("640104" + "19900230" + "123")
    with pytest.raises(InvalidCreditCode) as caught:
        validate_code(code, today=TODAY)
    assert caught.value.reason is InvalidCodeReason.BIRTH_DATE


def test_dispatch_uscc_errors() -> None:
    with pytest.raises(InvalidCreditCode) as caught:
        validate_code("91110000600037341M", today=TODAY)
    assert caught.value.reason is InvalidCodeReason.CHECKSUM


def test_dispatch_future_birth_date_uses_injected_today() -> None:
    code = make_id("640104" + "20261201" + "123")
    assert validate_code(code, today=dt.date(2026, 12, 1)) == (CodeKind.CITIZEN_ID, code)
    with pytest.raises(InvalidCreditCode) as caught:
        validate_code(code, today=dt.date(2026, 11, 30))
    assert caught.value.reason is InvalidCodeReason.BIRTH_DATE


# --- properties ----------------------------------------------------------------------------

_alpha = st.sampled_from(USCC_ALPHABET)
_digit = st.sampled_from("0123456789")


@st.composite
def usccs(draw: st.DrawFn) -> str:
    head = draw(_alpha) + draw(_alpha) + "".join(draw(st.lists(_digit, min_size=6, max_size=6)))
    body = "".join(draw(st.lists(_alpha, min_size=8, max_size=8)))
    return make_uscc(head, body)


@st.composite
def citizen_ids(draw: st.DrawFn) -> str:
    address = "".join(draw(st.lists(_digit, min_size=6, max_size=6)))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
    seq = f"{draw(st.integers(0, 999)):03d}"
    return make_id(address + born.strftime("%Y%m%d") + seq)


@st.composite
def messy(draw: st.DrawFn, code: str) -> str:
    """The same code as a person might type it: spaces, dashes, full width, lower case."""
    out = []
    for ch in code:
        ch = draw(st.sampled_from([ch, ch.lower()]))
        ch = draw(st.sampled_from([ch, full_width(ch)]))
        out.append(ch + draw(st.sampled_from(["", "", " ", "-", "\u3000"])))
    return "".join(out)


@settings(max_examples=200)
@given(data=st.data(), code=usccs())
def test_generated_usccs_validate_and_round_trip(data: st.DataObject, code: str) -> None:
    assert validate_uscc(code) == code
    assert validate_uscc(data.draw(messy(code))) == code
    try:
        validate_citizen_id(code, today=TODAY)
    except InvalidCreditCode:
        assert validate_code(data.draw(messy(code)), today=TODAY) == (CodeKind.USCC, code)
    else:  # an ID-shaped USCC that is a valid ID number too: which one must be said
        with pytest.raises(AmbiguousCreditCode):
            validate_code(data.draw(messy(code)), today=TODAY)
        assert validate_code(code, today=TODAY, kind=CodeKind.USCC) == (CodeKind.USCC, code)


@settings(max_examples=200)
@given(data=st.data(), code=citizen_ids())
def test_generated_ids_validate_and_round_trip(data: st.DataObject, code: str) -> None:
    assert validate_citizen_id(code, today=TODAY) == code
    assert validate_citizen_id(data.draw(messy(code)), today=TODAY) == code
    asked = validate_code(data.draw(messy(code)), today=TODAY, kind=CodeKind.CITIZEN_ID)
    assert asked == (CodeKind.CITIZEN_ID, code)
    try:
        assert validate_code(data.draw(messy(code)), today=TODAY) == (CodeKind.CITIZEN_ID, code)
    except AmbiguousCreditCode:  # about 1 in 350 is a valid USCC too
        assert validate_uscc(code) == code


@settings(max_examples=40)
@given(code=usccs())
def test_every_single_substitution_of_a_uscc_is_rejected(code: str) -> None:
    for pos, replacement in itertools.product(range(18), USCC_ALPHABET + "IOSVZ#-"):
        if replacement == code[pos]:
            continue
        changed = code[:pos] + replacement + code[pos + 1 :]
        with pytest.raises(InvalidCreditCode):
            validate_uscc(changed)


@settings(max_examples=40)
@given(code=citizen_ids())
def test_every_single_substitution_of_an_id_is_rejected(code: str) -> None:
    for pos, replacement in itertools.product(range(18), "0123456789XA"):
        if replacement == code[pos]:
            continue
        changed = code[:pos] + replacement + code[pos + 1 :]
        with pytest.raises(InvalidCreditCode):
            validate_citizen_id(changed, today=TODAY)


# --- what a copy and paste brings along ----------------------------------------------------


def test_every_unicode_dash_and_minus_sign_is_a_separator() -> None:
    dashes = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Pd"}
    minus_signs = {"\u2212", "\u207b", "\u208b", "\u2796", "\u02d7", "\ufe63", "\uff0d"}
    assert dashes | minus_signs <= set(DASHES)


@pytest.mark.parametrize("gap", sorted(set(DASHES + INVISIBLES)), ids=lambda ch: f"U+{ord(ch):04X}")
def test_dashes_zero_width_characters_and_the_bom_are_dropped(gap: str) -> None:
    uscc = f"{gap}91110000{gap}600037341L{gap}"
    id_number = f"110105{gap}19491231{gap}002X"
    assert validate_uscc(uscc) == "91110000600037341L"
    assert validate_code(uscc, today=TODAY) == (CodeKind.USCC, "91110000600037341L")
    assert validate_citizen_id(id_number, today=TODAY) == "11010519491231002X"


def test_a_pasted_code_with_bom_zero_width_space_and_full_width_minus() -> None:
    pasted = "\ufeff９１１１００００\uff0d６０００３７３４１Ｌ\u200b"
    assert validate_code(pasted, today=TODAY) == (CodeKind.USCC, "91110000600037341L")


# --- the 15-digit registration number (注册号) before the USCC ------------------------------


def _mod_11_10_valid(number: str) -> bool:
    """ISO 7064 MOD 11,10 as GB/T 17710 states the check: the last running sum is 1 mod 10."""
    product = 10
    for position, ch in enumerate(number):
        total = (product + int(ch)) % 10 or 10
        if position == len(number) - 1:
            return total % 10 == 1
        product = total * 2 % 11
    raise AssertionError("empty")  # pragma: no cover


def test_registration_number_check_digit_against_the_standards_check() -> None:
    rng = random.Random(15)
    for _ in range(2000):
        first14 = "".join(rng.choice("0123456789") for _ in range(14))
        number = first14 + registration_number_check_digit(first14)
        assert _mod_11_10_valid(number)
        assert is_registration_number(number)
        wrong = first14 + str((int(number[14]) + 1) % 10)
        assert not _mod_11_10_valid(wrong)
        assert not is_registration_number(wrong)
    assert is_registration_number("110108000000016")  # the number often quoted as an example


@pytest.mark.parametrize("raw", ["110108000000016", "110108-000000016", " 1101０８000000016 "])
def test_a_registration_number_has_its_own_reason_and_says_what_to_enter(raw: str) -> None:
    for validate in (validate_uscc, validate_code):
        with pytest.raises(InvalidCreditCode) as caught:
            validate(raw)
        err = caught.value
        assert err.reason is InvalidCodeReason.LEGACY_REGISTRATION_NUMBER
        assert err.extensions() == {
            "code": "INVALID_CREDIT_CODE",
            "reason": "legacy_registration_number",
        }
        assert "注册号" in str(err)
        assert "18位的统一社会信用代码" in str(err)


def test_fifteen_digits_with_a_wrong_check_digit_is_a_length_error() -> None:
    with pytest.raises(InvalidCreditCode) as caught:
        validate_code("110108000000017")
    assert caught.value.reason is InvalidCodeReason.LENGTH


def test_fifteen_digits_asked_as_an_id_number_is_a_length_error() -> None:
    # the person's field: a 15-digit number there is an old ID card, not a 注册号
    with pytest.raises(InvalidCreditCode) as caught:
        validate_citizen_id("110108000000016", today=TODAY)
    assert caught.value.reason is InvalidCodeReason.LENGTH


# --- a code valid as both kinds ------------------------------------------------------------


def _random_ids(rng: random.Random, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20_000))
        first17 = f"{rng.randrange(110000, 660000)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        ids.append(make_id(first17))
    return ids


def _valid_uscc(code: str) -> bool:
    try:
        validate_uscc(code)
    except InvalidCreditCode:
        return False
    return True


def ambiguous_code() -> str:
    """A synthetic ID number that is a valid USCC too."""
    return next(c for c in _random_ids(random.Random(1), 5000) if _valid_uscc(c))


def test_about_one_valid_id_number_in_350_is_a_valid_uscc_too() -> None:
    ids = _random_ids(random.Random(2), 50_000)
    both = sum(_valid_uscc(c) for c in ids)
    # 1/31 (USCC check) x about 1/11 (GB 11714 check, a digit or X): 1 in ~341; measured ~350
    assert 50_000 / 400 < both < 50_000 / 300


def test_an_ambiguous_code_is_refused_without_a_kind() -> None:
    code = ambiguous_code()
    with pytest.raises(AmbiguousCreditCode) as caught:
        validate_code(code, today=TODAY)
    err = caught.value
    assert err.normalised == code
    assert err.extensions() == {"code": "AMBIGUOUS_CREDIT_CODE", "kinds": ["USCC", "CITIZEN_ID"]}
    assert code not in str(err)
    assert "kind" in str(err)


def test_an_ambiguous_code_is_read_as_the_kind_asked_for() -> None:
    code = ambiguous_code()
    assert validate_code(code, today=TODAY, kind=CodeKind.USCC) == (CodeKind.USCC, code)
    assert validate_code(code, today=TODAY, kind=CodeKind.CITIZEN_ID) == (
        CodeKind.CITIZEN_ID,
        code,
    )
    assert validate_uscc(code) == code


def test_a_kind_validates_as_that_kind_only() -> None:
    with pytest.raises(InvalidCreditCode) as caught:
        validate_code("91110000600037341L", today=TODAY, kind=CodeKind.CITIZEN_ID)
    assert caught.value.reason is InvalidCodeReason.CHARSET
    with pytest.raises(InvalidCreditCode) as caught:
        validate_code("11010519491231002X", today=TODAY, kind=CodeKind.USCC)
    assert caught.value.reason is InvalidCodeReason.CHECKSUM
