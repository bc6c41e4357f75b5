"""The importer on the real reference page: counts, sample entries, byte-identical output,
idempotence, ownership of spec/, and located errors on damaged pages."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BUNDLED_PAGE, MINI, REPO, CliRunner, file_tree, run_cli

from kraken_spec.exceptions import PageError
from kraken_spec.model import Argument, Catalogue, Mutation, ReturnField
from kraken_spec.page.importer import ImportResult, catalogue_from_page, import_page
from kraken_spec.page.parse import parse_page

PAGE_LINES = BUNDLED_PAGE.read_text(encoding="utf-8").split("\n")

API_URL = "https://api.maingau-kraken.energy/v1/graphql/"
AUTH_URL = "https://auth.maingau-kraken.energy/graphql/"
CURATED = "types:\n- name: GoodsPurchase\n  status: undocumented\n  role: output\n"
ORPHAN_WARNING = (f"{BUNDLED_PAGE}:4920: warning: an entry without its heading (name, Type, URL) "
                  "(it selects 'nextOperationsTeamRoundRobin') is kept in "
                  "spec/headless/nextOperationsTeamRoundRobin.yaml and enters the catalogue only "
                  "when a schema source confirms its payload type\n")


@dataclass(frozen=True)
class Imported:
    root: Path
    result: ImportResult
    first: dict[str, bytes]  # the root after the first import
    second: dict[str, bytes]  # after importing the same page again through the CLI
    second_run: tuple[int, str, str]

    @property
    def catalogue(self) -> Catalogue:
        return self.result.catalogue

    def mutation(self, name: str) -> Mutation:
        (found,) = [m for m in self.catalogue.mutations if m.name == name]
        return found


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    """The real page imported twice into one root that already holds a curated types file,
    a stale mutation file and a nested file; the page is read only these two times here."""
    root = tmp_path_factory.mktemp("imported")
    (root / "spec" / "types").mkdir(parents=True)
    (root / "spec" / "types" / "curated.yaml").write_text(CURATED, encoding="utf-8")
    (root / "spec" / "mutations" / "old").mkdir(parents=True)
    (root / "spec" / "mutations" / "removedMutation.yaml").write_text("stale\n", encoding="utf-8")
    (root / "spec" / "mutations" / "old" / "nested.yaml").write_text("stale\n", encoding="utf-8")
    result = import_page(str(BUNDLED_PAGE), str(root), allow_removals=True)
    first = file_tree(root)
    second_run = run_cli("import-docs", str(BUNDLED_PAGE), "--root", str(root))
    return Imported(root, result, first, file_tree(root), second_run)


# --- counts ---------------------------------------------------------------------------------


def test_counts(imported: Imported) -> None:
    cat = imported.catalogue
    assert len(cat.mutations) == 235
    assert [(e.name, e.title, e.url) for e in cat.endpoints] == [
        ("api", "API Site", API_URL),
        ("auth", "Authentication Server", AUTH_URL),
    ]
    assert len(cat.mutations_of("api")) == 232
    assert len(cat.mutations_of("auth")) == 3
    assert len(cat.errors) == 450
    assert len({e.code for e in cat.errors}) == 450
    assert sum(1 for m in cat.mutations if not m.errors) == 19
    assert sorted(m.name for m in cat.mutations if m.requires_authorization) == [
        "createElectricityMeterReadings", "createFormSubmission", "createGasMeterReadings",
        "deletePushNotificationBinding", "registerPushNotificationBinding",
        "transferLedgerBalance", "updatePassword", "updatePaymentSchedulePaymentAmount",
        "updatePaymentSchedulePaymentDay", "updateUser",
    ]
    assert [(m.name, m.deprecation_reason) for m in cat.mutations if m.deprecation_reason] == [
        ("updateUserDetails", "Please use updateUser instead"),
    ]
    assert sum(1 for m in cat.mutations if m.payload_non_null) == 25
    assert sorted(m.name for m in cat.mutations if not m.arguments) == [
        "closeOpenPrintBatch", "regenerateSecretKey", "unlinkUserFromLine",
    ]
    assert sorted((m.name, len(m.arguments)) for m in cat.mutations if len(m.arguments) > 1) == [
        ("createNewsletterSignup", 2), ("generatePreSignedToken", 3),
        ("masqueradeAuthentication", 2), ("updateAccountConsents", 2),
        ("updateAccountUserConsents", 2),
    ]
    assert sorted(m.name for m in cat.mutations if m.return_fields is None) == [
        "linkUserToLine", "unlinkUserFromLine",
    ]


def test_every_code_keeps_its_page_message(imported: Imported) -> None:
    messages = {e.code: e.message for e in imported.catalogue.errors}
    assert messages["KT-CT-1111"] == "Unauthorized."
    assert messages["KT-CT-1112"] == "'Authorization' header not provided."
    assert messages["KT-CT-11111"] == "Segment does not exist."
    assert messages["KT-CT-5450"] == "Password is invalid."
    assert messages["KT-DE-3901"] == ("Failed while checking if the ledger has existing "
                                      "schedules and the amount can be updated.")
    # Every error line of the page agrees with the catalogue.
    listed = [line[2:].split(": ", 1) for line in PAGE_LINES if line.startswith("- KT-")]
    assert len(listed) > 450
    assert all(messages[code] == message for code, message in listed)


# --- sample entries, checked against the page text --------------------------------------------


def test_generate_pre_signed_token(imported: Imported) -> None:
    m = imported.mutation("generatePreSignedToken")
    assert (m.endpoint, m.payload_type, m.payload_non_null) == (
        "api", "GeneratePreSignedToken", False)
    assert m.description == "Generate a pre-signed token with a set expiry time."
    assert (m.requires_authorization, m.deprecation_reason) == (False, None)
    assert m.errors == ("KT-CT-1128", "KT-CT-1120", "KT-CT-1131", "KT-CT-1113", "KT-CT-1111",
                        "KT-CT-1112")
    # The page's Arguments table has an empty first row: email has no description.
    assert m.arguments == (
        Argument("email", "String!", None),
        Argument("numberOfDaysAllowed", "Int!", "The number of days that the token will be "
                 "available for authentication (From now on)."),
        Argument("scope", "PreSignedTokenScope!", "Define (and limit) the scope of the token."),
    )
    assert m.return_fields == (
        ReturnField("possibleErrors", "[PossibleErrorType]", "fragment", None),
        ReturnField("token", "String", "example", '"abc123"'),
        ReturnField("tokenExpiryDatetime", "DateTime", "example", '"2020-01-01T00:00:00.000Z"'),
        ReturnField("scope", "String", "example", '"SUBMIT_METER_READINGS"'),
    )
    assert m.example.operation.split("\n")[:5] == [
        "mutation GeneratePreSignedToken(", "$email: String!,",
        "$numberOfDaysAllowed: Int!,", "$scope: PreSignedTokenScope!", ") {",
    ]
    assert m.example.variables == ('{\n"email": "abc123",\n"numberOfDaysAllowed": 1,\n'
                                   '"scope": "SUBMIT_METER_READINGS"\n}')


RESET_USER_PASSWORD_DESCRIPTION = """\
Reset the password of an account user.
Raises KT-CT-5450
if password validation fails. Inspect the validationErrors
extension to get the exact validation error:
json
{
"data": {"resetUserPassword": null},
"errors": [
{
"message": "Password is invalid.",
"path": ["resetUserPassword"],
"extensions": {
"errorType": "VALIDATION",
"errorCode": "KT-CT-5450",
"errorDescription": "Given password fails password policy requirements.",
"validationErrors": [
{
"code": "password_too_short",
"message": "This password is too short. It must contain at least 7 characters.",
"inputPath": ["input", "password"]
},
{
"code": "password_too_common",
"message": "This password is too common.",
"inputPath": ["input", "password"]
}
]
}
}
]
}
The validation error's code
can be any of
- password_too_short
- password_too_common
- password_reused
- password_matches_current
- password_has_too_few_numeric_characters
- password_has_too_few_special_characters
- password_has_too_few_lowercase_characters
- password_has_too_few_uppercase_characters
- password_contains_account_number
- password_contains_part_of_email_address"""


def test_reset_user_password(imported: Imported) -> None:
    m = imported.mutation("resetUserPassword")
    assert (m.payload_type, m.payload_non_null) == ("ResetUserPasswordOutput", False)
    assert m.description == RESET_USER_PASSWORD_DESCRIPTION
    assert m.errors == ("KT-CT-4125", "KT-CT-1132", "KT-CT-5450", "KT-CT-1113")
    assert m.arguments == (Argument("input", "ResetUserPasswordInput!",
                                    "Input fields for resetting an account user's password."),)
    assert m.return_fields == (
        ReturnField("userId", "String", "example", '"abc123"'),
        ReturnField("passwordUpdated", "Boolean", "example", "true"),
        ReturnField("failureReasons", "[String]", "example", '["abc123"]'),
        ReturnField("failureCodes", "[String]", "example", '["abc123"]'),
    )


def test_repeated_codes_are_kept_once_where_first_listed(imported: Imported) -> None:
    # The page lists KT-CT-1111 first and again near the end of these lists.
    assert imported.mutation("addBusinessToSegment").errors == (
        "KT-CT-1111", "KT-CT-11107", "KT-CT-11111", "KT-CT-1113", "KT-CT-1112")
    assert imported.mutation("createQuoteForAccount").errors == (
        "KT-CT-1111", "KT-CT-1112", "KT-CT-4616", "KT-CT-4631", "KT-CT-4645", "KT-CT-4924",
        "KT-CT-1113")
    # acceptGoodsQuote repeats nothing: its list is taken as it stands.
    assert imported.mutation("acceptGoodsQuote").errors == (
        "KT-CT-8223", "KT-CT-8201", "KT-CT-8224", "KT-CT-1113", "KT-CT-1111", "KT-CT-1112")
    assert all(len(set(m.errors)) == len(m.errors) for m in imported.catalogue.mutations)


def test_link_user_to_line_selects_no_payload_fields(imported: Imported) -> None:
    m = imported.mutation("linkUserToLine")
    assert (m.payload_type, m.payload_non_null) == ("LinkUserToLineResponse", True)
    assert m.description == "Link an account user and line user together."
    assert m.errors == ()
    assert m.arguments == (Argument("input", "LinkUserToLineInput!",
                                    "Input fields to link an account user with LINE."),)
    assert m.return_fields is None
    assert m.example.operation == ("mutation LinkUserToLine($input: LinkUserToLineInput!) {\n"
                                   "linkUserToLine(input: $input)\n}")
    assert m.example.response == ('{\n"data": {\n"linkUserToLine": LinkUserToLineResponse\n'
                                  "}\n}")


def test_create_newsletter_signup_without_arguments_table(imported: Imported) -> None:
    m = imported.mutation("createNewsletterSignup")
    assert (m.payload_type, m.payload_non_null) == ("CreateNewsletterSignupOutput", False)
    assert m.description == "Creates a new signup for the OEDE newsletter via Maileon API."
    assert m.errors == ()
    # No Arguments table on the page: types from the operation, no descriptions.
    assert m.arguments == (Argument("email", "String!", None),
                           Argument("firstName", "String", None))
    assert m.return_fields == (ReturnField("content", "String", "example", '"abc123"'),
                               ReturnField("id", "String", "example", '"abc123"'))
    assert m.example.variables == '{\n"email": "abc123",\n"firstName": "abc123"\n}'


def test_obtain_kraken_token_generic_scalar_payload(imported: Imported) -> None:
    m = imported.mutation("obtainKrakenToken")
    assert m.payload_type == "ObtainKrakenJSONWebToken"
    assert m.description == ("Create a Kraken Token (JWT) for authentication.\n"
                             "Provide the required input fields to obtain the token.\n"
                             "The token should be used as the Authorization\n"
                             "header for any authenticated requests.")
    assert m.errors == ("KT-CT-1135", "KT-CT-1134", "KT-CT-1113")
    assert m.return_fields is not None
    payload = {f.name: f for f in m.return_fields}["payload"]
    assert payload == ReturnField("payload", "GenericScalar", "example",
                                  '"abc123" | 1 | 1.0 | true | ["abc123"] | AccountType')
    (generic,) = [t for t in imported.catalogue.types if t.name == "GenericScalar"]
    assert (generic.status, generic.role, generic.kind) == ("inferred", "output", "SCALAR")


def test_update_password_requires_authorization(imported: Imported) -> None:
    m = imported.mutation("updatePassword")
    assert m.requires_authorization is True
    # The notice is a flag, not part of the description.
    assert m.description == "Update password of the authenticated user"
    assert m.errors == ("KT-CT-5460", "KT-CT-5450", "KT-CT-1113")
    assert m.arguments == (Argument("input", "UpdatePasswordInput", None),)


def test_deprecated_update_user_details(imported: Imported) -> None:
    m = imported.mutation("updateUserDetails")
    assert m.deprecation_reason == "Please use updateUser instead"
    assert m.description is not None
    assert m.description.startswith("Update the account user details of the authenticated "
                                    "user. Only one field can be updated per day.")
    assert "DEPRECATED" not in m.description
    assert m.errors == ()


def test_auth_server_mutation(imported: Imported) -> None:
    m = imported.mutation("createMfaDevice")
    assert (m.endpoint, m.payload_type, m.payload_non_null) == ("auth", "CreateMfaDevice", False)
    assert m.description == "Create MFA Device for user."
    assert m.errors == ("KT-CT-1128", "KT-CT-1153", "KT-CT-1113")
    assert m.arguments == (Argument("input", "CreateMfaDeviceInputType!",
                                    "Input fields for creating a new multi-factor "
                                    "authentication device for the logged user."),)
    assert [(f.name, f.type) for f in m.return_fields or ()] == [
        ("possibleErrors", "[PossibleErrorType]"), ("deviceEmail", "String"),
        ("devicePhone", "String"), ("totpSecret", "String"),
    ]
    assert [x.name for x in imported.catalogue.mutations_of("auth")] == [
        "createMfaDevice", "deleteMfaDevice", "validateMfaDevice"]


def test_headless_entry_is_kept_apart(imported: Imported) -> None:
    # The page's catalogue holds the entry shown without heading apart from its mutations:
    # its payload type is not on the page (tests/test_headless.py reads it in full).
    (orphan,) = imported.result.orphans
    assert (orphan.line, orphan.operation_line, orphan.field, orphan.section) == (
        4920, 4929, "nextOperationsTeamRoundRobin", "API Site")
    assert "nextOperationsTeamRoundRobin" not in {m.name for m in imported.catalogue.mutations}
    assert [(h.name, h.endpoint, h.line) for h in imported.catalogue.headless] == [
        ("nextOperationsTeamRoundRobin", "api", 4920)]
    assert "spec/mutations/nextOperationsTeamRoundRobin.yaml" not in imported.first
    assert "spec/headless/nextOperationsTeamRoundRobin.yaml" in imported.first
    assert imported.result.plan.headless_added == ("nextOperationsTeamRoundRobin",)


# --- the files written ------------------------------------------------------------------------


def test_import_reproduces_the_committed_spec(imported: Imported) -> None:
    committed = {p.relative_to(REPO).as_posix(): p.read_bytes()
                 for p in sorted((REPO / "spec").rglob("*.yaml"))}
    written = {rel: data for rel, data in imported.first.items()
               if rel not in ("spec/types/curated.yaml", "spec/mutations/old/nested.yaml")}
    assert sorted(written) == sorted(committed)
    assert len([rel for rel in written if rel.startswith("spec/mutations/")]) == 235
    for rel, data in committed.items():
        assert written[rel] == data, rel


def test_reimport_changes_nothing(imported: Imported) -> None:
    code, out, err = imported.second_run
    assert code == 0
    assert out == (f"imported 235 mutations, 450 error codes, {len(imported.catalogue.types)} "
                   "named types: 0 added, 0 changed, 0 removed; 0 file(s) written\n")
    assert err == ORPHAN_WARNING
    assert imported.second == imported.first


def test_curated_files_stay_and_stale_mutations_go(imported: Imported) -> None:
    assert imported.first["spec/types/curated.yaml"] == CURATED.encode()
    # Only top-level mutation files are the importer's; it removed the one the plan listed.
    assert imported.result.plan.removed == ("removedMutation",)
    assert "spec/mutations/removedMutation.yaml" not in imported.first
    assert "spec/mutations/removedMutation.yaml" in imported.result.changed
    assert imported.first["spec/mutations/old/nested.yaml"] == b"stale\n"
    assert "spec/mutations/old/nested.yaml" not in imported.result.changed
    assert len(imported.result.plan.added) == 235


# --- damaged pages ----------------------------------------------------------------------------


def _head(last_line: int) -> list[str]:
    """Page lines 1..last_line."""
    return PAGE_LINES[:last_line]


def _line_of(text: str, after: int = 0) -> int:
    """The 1-based page line holding ``text``, searching from line ``after`` on."""
    return PAGE_LINES.index(text, after) + 1


ENTRY_END = _line_of("addCampaignToAccount") - 1  # the page up to the first three entries


def _page_with(lines: list[str], at: int, replace: int, *new: str) -> list[str]:
    """Replace ``replace`` lines from page line ``at`` on with ``new``."""
    return lines[:at - 1] + list(new) + lines[at - 1 + replace:]


DAMAGED = {
    # Cut in the middle of acceptGoodsQuote's example operation.
    "cut_in_operation": (
        _head(40), 41, "'acceptGoodsQuote': the page ends before 'Variables' or 'Response'"),
    # Cut in its example response: the block opened after "Response" never closes.
    "cut_in_response": (
        _head(50), 47,
        "'acceptGoodsQuote': the example block opened here is not closed by the end of the "
        "page (line 50)"),
    # Cut right after the empty return-fields table.
    "cut_before_operation": (_head(30), 31, "expected 'Mutation', found end of page"),
    # Cut after a name line: the entry has no Type line.
    "cut_after_name": (
        _head(_line_of("acceptOfferForQuoting")), _line_of("acceptOfferForQuoting"),
        "expected a mutation name followed by 'Type: ...', found 'acceptOfferForQuoting'"),
    # An Arguments table with another header.
    "other_table_shape": (
        _page_with(_head(ENTRY_END), 24, 1, "Name | Type | Description |"), 24,
        "expected 'Name | Description |' after 'Arguments'"),
    # A block the reader does not know after the return-fields table.
    "unknown_block": (
        _page_with(_head(ENTRY_END), 31, 1, "Example"), 31,
        "expected 'Mutation' after the return-fields table of 'acceptGoodsQuote', found "
        "'Example' (this reader knows only the empty table of the scraped page)"),
    # A stray line before an entry reads as a section heading.
    "stray_section_line": (
        _page_with(_head(ENTRY_END), 94, 0, "Example notes"), 94,
        "'Example notes' reads as a section heading, but its entry 'addBusinessToSegment' is "
        "on endpoint 'api', whose section is 'API Site'"),
}


def test_damaged_page_fixtures_are_where_they_should_be() -> None:
    assert PAGE_LINES[23 - 1:25] == ["Arguments", "Name | Description |", "---|---|"]
    assert PAGE_LINES[28 - 1:31] == ["Return fields", "Name | Description |", "---|",
                                     "Mutation"]
    assert PAGE_LINES[46 - 1:47] == ["Response", "{"]
    assert PAGE_LINES[94 - 1] == "addBusinessToSegment"
    assert PAGE_LINES[4920 - 1] == "Arguments"


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_damaged_page_is_refused_at_its_line(name: str, tmp_path: Path,
                                             cli: CliRunner) -> None:
    lines, line, message = DAMAGED[name]
    page = tmp_path / "page.txt"
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PageError) as info:
        catalogue_from_page(parse_page(page.read_text(encoding="utf-8")))
    assert (info.value.line, info.value.message) == (line, message)

    root = tmp_path / "root"
    shutil.copytree(MINI / "spec", root / "spec")
    before = file_tree(root)
    code, out, err = cli("import-docs", str(page), "--root", str(root))
    assert (code, out) == (1, "")
    assert err == f"{page}:{line}: {message}\nnothing was written\n"
    assert "Traceback" not in err
    assert file_tree(root) == before


def test_unreadable_page(tmp_path: Path, cli: CliRunner) -> None:
    missing = tmp_path / "missing.txt"
    (tmp_path / "root").mkdir()
    code, out, err = cli("import-docs", str(missing), "--root", str(tmp_path / "root"))
    assert (code, out) == (2, "")
    assert err == f"{missing}: cannot read the page: file not found\nnothing was written\n"
    assert list((tmp_path / "root").iterdir()) == []


def test_mini_page_imports_to_the_mini_fixture(tmp_path: Path, cli: CliRunner) -> None:
    code, out, err = cli("import-docs", str(MINI / "page.txt"), "--root", str(tmp_path))
    assert (code, err) == (0, "")
    assert out.startswith("imported 9 mutations, 20 error codes, ")
    assert file_tree(tmp_path / "spec") == file_tree(MINI / "spec")
