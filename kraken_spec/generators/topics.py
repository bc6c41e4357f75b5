"""The index's groups: what each mutation acts on, read from the words of its name."""

from __future__ import annotations

import re

# A mutation's name is a leading verb and an object (createAccountCharge, triggerBoostCharge).
# A reader looks for the object, so the index groups by it. The verbs say little (create
# and update alone name 86 of 236 mutations), and the error codes' domains are two (CT for
# nearly all, DE), so neither groups usefully. Each subject is matched, in this order,
# against the words of the name after its verb; the first that matches wins. A mutation no
# subject matches goes to "Other", so a new one still appears.
SUBJECTS: tuple[tuple[str, str], ...] = (
    ("Sign-in, tokens and passwords",
     r"Token|Tokens|Authentication|Reauthentication|Mfa|Password|SecretKey|Masquerade"),
    ("Smart devices and EV charging",
     r"SmartFlex|Device|Boost|TestCharge|Vehicle|ChargePoint|Control|Tesla"),
    ("Meter readings and site works", r"MeterReadings|Siteworks"),
    ("Loyalty and referrals", r"Loyalty|Referral"),
    ("Affiliates", r"Affiliate|Affiliates"),
    ("Events and integrations",
     r"Api|ExternalAccount|ScreenEvent|PostEvents|FormSubmission"),
    ("Contracts, agreements and supply",
     r"Contract|Agreement|ProductSwitch|LeaveSupplier|Enrollment|JoinSupplier|HouseMove"
     r"|MoveOut"),
    ("Businesses and portfolios", r"Portfolio|Segment|Business"),
    ("Quotes, offers and sales",
     r"Quote|Quoting|Offer|Opportunity|Lead|GoodsPurchase|ActivePurchase|Order|Products?"
     r"|ProductPrices|ShellAccount"),
    ("Collections and debt", r"Dunning|Dca|CollectionProcess|RiskList"),
    ("Payments, credits and repayments",
     r"Payment|Payments|Repayment|DirectDebit|Credit|Deposit|Ledger|Transactions|TopUp"
     r"|Charge|Bill"),
    ("Messages, calls and notes",
     r"Ink|Call|AudioRecording|Message|Messaging|Note|Complaint|PrintBatch"
     r"|PushNotification|Comms|Newsletter|OperationsTeam|Feedback"),
    ("Accounts and campaigns",
     r"Account(?=Billing|Reference|$)|Campaign|Reminder|Metadata"),
    ("Users and verification",
     r"User|Users|Customer|Identity|Email|Phone|DoubleOptIn|Consents|Accessibility"
     r"|Verification"),
)
OTHER = "Other"

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")
_COMPILED = tuple((title, re.compile(rf"(?:^|(?<=[a-z0-9]))(?:{words})(?=[A-Z]|$)"))
                  for title, words in SUBJECTS)


def split_name(name: str) -> tuple[str, str]:
    """The leading verb and the object of a mutation's name: ``("create",
    "AccountCharge")``; a name of one word is all verb."""
    head = _WORD.match(name)
    verb = head[0] if head else name
    return verb, name[len(verb):]


def sort_key(name: str) -> tuple[str, str]:
    """Within a subject, mutations acting on the same object stand together, by verb."""
    verb, rest = split_name(name)
    return rest.lower(), verb


def subject(name: str) -> str:
    """The subject heading a mutation is listed under in the index."""
    verb, rest = split_name(name)
    # Some names are an object alone (enrollment, productSwitch): match the whole name then.
    words = rest or verb[:1].upper() + verb[1:]
    for title, pattern in _COMPILED:
        if pattern.search(words) or pattern.search(verb[:1].upper() + verb[1:] + rest):
            return title
    return OTHER
