"""Which sentences are checkable claims: figures, comparisons, causal or efficacy statements, reports of
evidence ("studies show…") and anything the author cited; the rest is framing, a question or advice.

Each rule names the reason it fired, so a report can say why a sentence was (or was not) checked.
"""

from __future__ import annotations

import re

from refkit.claims.model import Kind

_CLAIM_SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((reason, re.compile(pattern, re.IGNORECASE)) for
                                                                  reason, pattern in (
    ("figure", r"(?<!\d)\d+(?:[.,]\d+)?\s*(?:%|‰|percent|per cent|fold\b|-fold|times\b|x\b)"  # (?<!\d): linear
               r"|\b\d+(?:[.,]\d+)?\s*(?:[-–]\s*\d+(?:[.,]\d+)?\s*)?"
               r"(?:patients|participants|people|subjects|cases|children|adults|women|men|"
               r"years?|months?|weeks?|days?|hours?|mg|g|kg|ml|mm|cm|km|m|°C|ppm|tonnes?|species|studies|trials)\b"
               r"|\b(?:one|two|three|four|half|a third|a quarter)\s+(?:in|of)\s+(?:every\s+)?(?:\w+\s+)?"
               r"(?:patients|people|cases|adults|children)|\b(?:1[5-9]|20)\d\d(?:s)?\b|\b\d+\.\d+\b"),
    ("comparison", r"\b(?:than|compared (?:to|with)|in comparison|relative to|versus|vs\.?|superior|inferior|"
                   r"outperform\w*|exceed\w*|higher|lower|greater|fewer|smaller|larger|better|worse|most|least|"
                   r"best|worst|fastest|slowest|largest|smallest|first|only|unprecedented|as (?:effective|good|"
                   r"safe) as|more (?:\w+ )?(?:effective|likely|common|frequent)|less (?:\w+ )?(?:effective|"
                   r"likely|common|frequent)|doubl\w+|tripl\w+|halv\w+|scarc\w+|rarer|longer|shorter|"
                   r"becom\w+ (?:more|less|\w+er)\b)\b"),
    ("causal", r"\b(?:caus\w*|lead(?:s|ing)? to|led to|result(?:s|ed|ing)? in|due to|because|driv\w+|induc\w+|"
               r"inhibit\w*|block\w*|prevent\w*|reduc\w+|increas\w+|decreas\w+|improv\w+|rais\w+|lower\w+|"
               r"associated with|link\w* (?:to|with)|contribut\w* to|responsible for|trigger\w*|mechanism|"
               r"stems? from|depend\w* on|predict\w*|correlat\w*|affect\w*|impair\w*|enhanc\w*|boost\w*|"
               r"protect\w*|damag\w*|transform\w*|halt\w*|eliminat\w*|suppress\w*|activat\w*|target\w*|"
               r"shorten\w*|lengthen\w*|delay\w*|worsen\w*|harm\w*|disrupt\w*|extend\w*|slow\w*|speed\w* up|"
               r"ris(?:e|es|ing)|rose|fall(?:s|ing)?|fell|drop\w*|result(?:s|ed)? from|characteri[sz]ed by)\b"),
    ("efficacy", r"\b(?:effective\w*|efficac\w+|efficien\w+|works?\b|cure[sd]?|heal\w*|treat\w*|therap\w+|"
                 r"approved|indicated|benefi\w+|surviv\w+|remission|response rates?|respon(?:d|se)\w*|"
                 r"outcomes?|prognosis|safe(?:ty|ly)?|tolerat\w+|side effects?|adverse|risks?|toxic\w*|"
                 r"recurren\w+|relapse\w*|resistan\w+|mortality|incidence|prevalence|accura\w+|precision|"
                 r"recall|speed\w*|faster|slower|performance|yield\w*|emission\w*|warming|declin\w*|cheap\w*|"
                 r"expensive|costly|costs?)\b"),
    ("evidence", r"\b(?:stud(?:y|ies)|research(?:ers)?|trials?|data|evidence|experiments?|analys[ie]s|"
                 r"meta-analys[ie]s|survey\w*|observ\w+|measur\w+|found|shown|show(?:s|ed)|demonstrat\w+|"
                 r"report\w*|confirm\w*|suggest\w*|indicat\w+|according to|estimat\w+)\b"),
))  # fmt: skip

STATEMENT_WORDS = 10  # a declarative sentence this long states something a reference can back

_FRAMING_RE = re.compile(
    r"^(?:in this (?:blog )?(?:post|article|paper|review|section|chapter|guide)|this (?:blog )?(?:post|article|"
    r"paper|review|section|chapter|guide) (?:will|aims|explores|discusses|describes|looks|summari[sz]es|sets out|"
    r"outlines|covers|collects|reviews)|we (?:will|shall) "
    r"(?:discuss|explore|describe|look|review|see|delve)|let(?:'s| us)|in conclusion|to (?:sum up|summari[sz]e|"
    r"conclude)|in summary|as (?:we|you) (?:have seen|can see|will see)|the following|below,? we|read on)"
    r"|will (?:delve|explore|discuss|look at|walk)|\bthe question of whether\b|\bremains? (?:a topic|an open "
    r"question|on the horizon)|\bthe hope\b|\bexciting\b",
    re.IGNORECASE,
)
_ADVICE_RE = re.compile(
    r"^(?:please|consult|talk to|ask|always|never|remember|make sure|be sure|avoid|do not|don't|try|consider|"
    r"check|keep|follow|see your|speak (?:to|with)|contact)\b"
    r"|\b(?:you should|you must|you need to|we recommend|it(?:'s| is) (?:crucial|essential|important|"
    r"advisable|recommended|vital) (?:for \w+(?: \w+)? )?to (?!note)|should always|should be (?:made|taken|"
    r"discussed|done) in consultation|consult (?:your|a|with)|talk (?:to|with) your|seek (?:medical|"
    r"professional) (?:advice|help))",
    re.IGNORECASE,
)


def classify(text: str, cited: bool = False) -> tuple[Kind, tuple[str, ...]]:
    """A sentence's kind and the reasons for it (the claim signals found, or why it is not a claim)."""
    flat = " ".join(text.split())
    if flat.endswith("?"):
        return Kind.QUESTION, ("ends with a question mark",)
    if _ADVICE_RE.search(flat):
        return Kind.ADVICE, ("tells the reader what to do",)
    signals = tuple(reason for reason, pattern in _CLAIM_SIGNALS if pattern.search(flat))
    if cited:
        return Kind.CLAIM, ("cited", *signals)
    if flat.endswith(":"):
        return Kind.FRAMING, ("introduces what follows",)
    if _FRAMING_RE.search(flat):
        return Kind.FRAMING, ("frames the text",)
    content = [reason for reason in signals if reason != "evidence"]
    if content or ("evidence" in signals and len(flat.split()) >= 6):
        return Kind.CLAIM, signals
    if len(flat.split()) >= STATEMENT_WORDS:  # scientific prose states facts without any of the signals above
        return Kind.CLAIM, ("statement",)
    return Kind.FRAMING, ("no checkable statement",)
