"""Hand-written word lists: reporting verbs and nouns, titles, pronouns. Matched by lemma."""

from __future__ import annotations

# verbs that report speech or writing; matched on the token's lowercase lemma
REPORTING_VERBS: frozenset[str] = frozenset(
    """
    say tell write add note argue warn claim insist post tweet announce deny confirm admit
    state declare explain report reply respond answer ask suggest assert allege acknowledge
    concede contend maintain mention remark observe comment predict promise vow pledge
    stress emphasize emphasise urge caution complain lament boast brag joke quip recall
    reveal disclose testify testified tout describe call dismiss decry blast slam criticize
    criticise praise hail accuse charge counter retort rebut reiterate repeat continue
    conclude agree disagree estimate forecast indicate signal hint imply inform remind
    assure reassure advise recommend propose demand threaten acknowledge confess agree
    speculate wonder muse surmise reckon figure believe think feel fear worry hope
    question challenge dispute object protest rail scoff sneer snap shout yell scream
    whisper mutter murmur cry exclaim proclaim pronounce swear affirm aver attest certify
    guarantee insist tweet retweet blog text email message write pen publish editorialize
    announce release reveal leak brief told learn find conclude show suggest
    """.split()
)

# verbs that only report speech in the right frame ("call for", "find that"); they need a
# clausal complement or a quote to count
WEAK_VERBS: frozenset[str] = frozenset(
    """
    call believe think feel fear worry hope find show learn figure continue release
    describe question challenge object reckon know understand
    """.split()
)

# nouns whose clause is a report: "the statement that ...", "his claim that ..."
REPORTING_NOUNS: frozenset[str] = frozenset(
    """
    statement claim remark comment announcement assertion allegation argument warning
    accusation insistence suggestion testimony report admission denial prediction promise
    pledge vow tweet post interview speech message email letter memo note press release
    """.split()
)

# "in a post on Truth Social", "in an interview with": the main verb reports speech
MEDIUM_NOUNS: frozenset[str] = frozenset(
    """
    post tweet statement interview speech letter email memo message op-ed editorial column
    video podcast broadcast remarks remark address rally briefing conference hearing
    testimony filing report release announcement appearance
    """.split()
)

PRONOUNS: dict[str, str] = {
    "he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f",
    "they": "p", "them": "p", "their": "p", "i": "1", "we": "1p", "it": "n",
}  # fmt: skip

# words that introduce a person's job or rank before the name ("President Trump")
TITLES: frozenset[str] = frozenset(
    """
    president vice prime minister secretary senator sen. sen rep. rep representative
    governor gov. gov mayor ambassador chairman chairwoman chair ceo director chief judge
    justice general gen. gen. colonel col. lt. lieutenant commander admiral adm. captain
    capt. sergeant sgt. officer spokesman spokeswoman spokesperson press attorney lawyer
    counsel professor prof. dr. dr mr. mr mrs. mrs ms. ms miss sir dame lord lady king
    queen prince princess pope rabbi reverend rev. father sheikh leader speaker majority
    minority whip candidate nominee former late deputy assistant acting interim executive
    senior junior founder co-founder owner manager coach official spokesperson analyst
    economist expert strategist adviser advisor aide consultant editor reporter
    correspondent columnist commentator host anchor author writer researcher scientist
    activist organizer lawmaker legislator congressman congresswoman councilman
    councilwoman commissioner superintendent sheriff detective inspector prosecutor
    u.s. us american israeli british
    """.split()
)

# heads of subject phrases that name an organisation or office rather than a person
ORG_HEADS: frozenset[str] = frozenset(
    """
    office ministry department campaign administration government committee agency
    spokesman spokeswoman spokesperson team staff officials official police military army
    court council commission board party group company firm organization organisation
    white house kremlin pentagon newspaper paper network station magazine outlet
    """.split()
)

ACCORDING_TO = ("according", "to")
