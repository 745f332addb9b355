"""Hand-written word lists: reporting verbs, titles, organisation words, first names.

Verbs are matched by lowercase lemma (the small English pipeline sometimes lemmatises
oddly, so the surface form is tried too).
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """Lowercase entries: tokens are matched by ``lower_``, whatever case a list is typed in."""
    return frozenset(text.lower().split())


# verbs whose clausal complement ("that ...") or object is someone's statement
REPORTING_VERBS: frozenset[str] = _words(
    """
    say tell write add note argue warn claim insist post tweet announce deny confirm admit
    state declare explain report reply respond answer ask suggest assert allege acknowledge
    concede contend maintain mention remark observe comment predict promise vow pledge
    stress emphasize emphasise urge caution complain lament boast brag joke quip recall
    reveal disclose testify tout describe call dismiss decry blast slam criticize
    criticise praise hail accuse charge counter retort rebut reiterate repeat continue
    conclude agree disagree estimate forecast indicate signal hint imply inform remind
    assure reassure advise recommend propose demand threaten confess speculate wonder
    muse surmise reckon believe think fear worry hope question challenge dispute object
    protest scoff sneer snap shout yell scream whisper mutter murmur exclaim proclaim
    pronounce swear affirm aver attest guarantee retweet blog text email publish find
    show learn expect want plan seek refuse decline order instruct direct
    recount describe characterize characterise label brand dub deride mock ridicule
    concur echo highlight underline underscore point cite theorize theorise posit
    counsel encourage beg plead implore press lobby petition apologize apologise thank
    congratulate endorse support oppose condemn denounce reject welcome applaud defend
    blame attack lambast berate chide scold rebuke fault question doubt acknowledge
    refer talk speak discuss express back detail outline
    """
)

# verbs that only report speech with a "that"/"whether" clause or a quote in their
# complement; alone they mostly describe actions or states ("called the police")
WEAK_VERBS: frozenset[str] = _words(
    """
    call believe think feel fear worry hope find show learn continue describe question
    challenge object reckon know understand expect want plan seek refuse decline order
    instruct direct point cite highlight underline underscore encourage press lobby
    thank congratulate endorse support oppose condemn denounce reject welcome applaud
    defend blame attack praise criticize criticise dismiss hail mock deride label brand
    dub characterize characterise echo charge counter signal indicate post publish text
    email blog answer repeat continue add
    """
)

# "told reporters to ...", "urged Congress to ...": verbs whose object + infinitive reports
DIRECTIVE_VERBS: frozenset[str] = _words(
    """
    tell urge ask warn order instruct direct encourage beg implore call press advise
    challenge invite remind caution demand
    """
)

# verbs whose noun-phrase object is itself the attributed stance or statement
# ("endorsed Ted Cruz", "criticized the deal", "called for an end to the war")
OBJECT_VERBS: frozenset[str] = _words(
    """
    criticize criticise praise endorse support oppose attack blame accuse defend deny
    confirm announce describe call urge propose demand reject welcome condemn denounce
    mock dismiss blast slam question cite highlight predict promise pledge recommend
    suggest tout hail thank warn express reveal acknowledge admit report find show tell
    ask note point refer discuss mention talk speak argue decline refuse vow threaten
    applaud lambast decry ridicule deride fault rebuke berate chide scold back agree
    insist claim allege estimate forecast stress emphasize emphasise underscore
    characterize characterise label brand dub recount recall explain detail outline
    """
)

# "in a post on Truth Social", "in an interview with": where a statement was made
MEDIUM_NOUNS: frozenset[str] = _words(
    """
    post tweet statement interview speech letter email memo message op-ed editorial column
    video podcast broadcast remarks remark address rally briefing conference hearing
    testimony filing report release announcement appearance debate event session call
    thread article essay book blog page account feed network show program programme
    twitter facebook instagram x tiktok youtube truth social threads telegram
    """
)

# prepositions whose phrase after a reporting verb is circumstance, not content
ADJUNCT_PREPS: frozenset[str] = _words(
    "in at during after before since amid while through via by from within across near"
)

PRONOUN_GENDER: dict[str, str] = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
}  # fmt: skip

# words that introduce a person's job or rank before the name ("President Trump")
TITLES: frozenset[str] = _words(
    """
    president vice prime minister secretary senator sen. sen rep. rep representative
    governor gov. gov mayor ambassador chairman chairwoman chair ceo director chief judge
    justice general gen. colonel col. lt. lieutenant commander admiral adm. captain capt.
    sergeant sgt. officer spokesman spokeswoman spokesperson attorney lawyer counsel
    professor prof. dr. dr mr. mr mrs. mrs ms. ms miss sir dame lord lady king queen
    prince princess pope rabbi reverend rev. father sheikh leader speaker candidate
    nominee former late deputy assistant acting interim executive senior founder
    co-founder owner manager coach analyst economist expert strategist adviser advisor
    aide consultant editor reporter correspondent columnist commentator host anchor
    author writer researcher scientist activist organizer lawmaker legislator congressman
    congresswoman councilman councilwoman commissioner superintendent sheriff detective
    inspector prosecutor councillor councilor premier chancellor emir ayatollah general-secretary
    secretary-general ex- presidential hopeful businessman businesswoman billionaire
    mogul star actor actress singer rapper comedian pastor bishop cardinal imam
    treasurer comptroller controller auditor assessor clerk registrar alderman alderwoman
    alderperson assemblyman assemblywoman assemblymember delegate trustee selectman
    selectwoman supervisor administrator undersecretary under-secretary vice-president
    vice-chair vice-chairman president-elect chairperson ceo cfo coo cto cio vp
    provost magistrate solicitor barrister trooper patrolman patrolwoman coroner corporal
    cpl. brigadier brig. maj. commodore ensign cmdr. cmdr lt lt. sgt sgt. col col. gen
    gen. capt adm lt.-gen. lt.-col. maj.-gen. prof rev msgr. monsignor archbishop sen sen.
    rep rep. gov gov. lt.-gov. atty. atty attorney-general mx. hon. honorable honourable
    skipper pvt. supt. insp. det. amb. asst. sens. reps. govs. msgr. cpl. brig.
    """
)


def is_title(word: str) -> bool:
    """A title word in any case, with or without its abbreviation dot ("Sen", "SEN.")."""
    w = word.lower()
    return w in TITLES or w.rstrip(".") in TITLES or f"{w}." in TITLES


MALE_WORDS: frozenset[str] = _words(
    """
    mr. mr sir lord king prince father spokesman chairman congressman councilman
    businessman actor brother son husband he him his himself
    """
)
FEMALE_WORDS: frozenset[str] = _words(
    """
    mrs. mrs ms. ms miss dame lady queen princess mother spokeswoman chairwoman
    congresswoman councilwoman businesswoman actress sister daughter wife she her hers
    herself
    """
)

# a modest list of common first names, only to keep "she" from resolving to a man
MALE_NAMES: frozenset[str] = _words(
    """
    aaron adam alan albert alex alexander andrew anthony antonio ben benjamin bernie bill
    bob bobby brad brian bruce carl carlos charles chris christopher chuck clarence
    daniel dave david dennis donald doug douglas ed edward eric frank fred gary george
    gerald greg gregory harry henry jack james jason jeb jeff jeffrey jerry jim jimmy joe
    john johnny jon jonathan jose joseph josh joshua juan justin keith ken kenneth kevin
    larry lindsey mark marco martin matt matthew michael mike mitch mitt muhammad
    mohammed nathan newt nicholas paul peter phil philip ralph randy ray reince
    richard rick robert roger ron ronald rudy russell ryan sam samuel scott sean stephen
    steve steven ted thomas tim timothy todd tom tony vladimir walter wayne william xi
    benjamin emmanuel recep narendra justin boris rishi keir olaf volodymyr edan mike
    chuck kevin hakeem bashar ali ahmed omar hassan ibrahim yahya ismail
    """
)
FEMALE_NAMES: frozenset[str] = _words(
    """
    amy andrea angela ann anna anne barbara betsy betty carly carol caroline catherine
    cheryl christine claire debbie deborah diane donna dorothy elizabeth ellen emily emma
    eva gina hillary helen jane janet janice jennifer jessica jill joan joni judith julia
    julie karen kamala kate katherine kathleen kathy kelly kellyanne kimberly kirsten
    laura lauren linda lisa liz madeleine margaret maria marie marine martha mary megyn
    melania melissa michelle mika nancy nikki patricia patty rachel rebecca sarah sharon
    stephanie susan susana tammy theresa tulsi ursula virginia wendy
    """
)

# heads of subject phrases that name an organisation or office rather than a person
ORG_HEADS: frozenset[str] = _words(
    """
    office ministry department campaign administration government committee agency team
    staff officials official police military army court council commission board party
    group company firm organization organisation house kremlin pentagon newspaper paper
    network station magazine outlet spokesman spokeswoman spokesperson service bureau
    institute center centre foundation association union coalition council cabinet
    """
)

# subjects that never speak: expletives, relative and indefinite pronouns
NON_SPEAKERS: frozenset[str] = _words(
    """
    it there this that what which who whom whose you one these those something anything
    nothing everything someone anyone everyone somebody anybody nobody each all both
    """
)

# verbs that invert with their subject: "..., said the spokesman"
INVERTING_VERBS: frozenset[str] = _words(
    "say add write ask explain continue note reply respond declare insist warn argue tweet joke"
)

# "The Latest:", "WATCH:" -- headline rubrics before a colon, not speakers
RUBRICS: frozenset[str] = _words(
    """
    latest the news guide exclusive watch breaking update updated analysis opinion video
    live photos photo fact check fact-check explainer editorial review timeline q&a
    interview podcast listen read more fix is in commentary perspective obituary recap
    preview correction byline boom busted wow look revealed bombshell developing
    """
)

# plural or common nouns that head a speaker phrase before a headline colon ("Experts:",
# "White House Doctor:"); other plural heads there are headline verbs ("Council Votes:")
PEOPLE_NOUNS: frozenset[str] = _words(
    """
    official expert critic historian insider source analyst economist scientist researcher
    doctor physician nurse lawmaker senator democrat republican conservative liberal voter
    resident leader activist protester protestor parent teacher student worker investigator
    prosecutor witness aide ally supporter opponent advocate staffer diplomat neighbor
    neighbour officer member veteran survivor victim family farmer owner employee pollster
    insider observer insurer lender banker investor executive candidate delegate donor
    people citizen american police authority spokesperson rep sen gop dem dems
    """
)

# documents and outlets that "say" things in headlines ("Poll:", "Report:", "Website:")
SOURCE_NOUNS: frozenset[str] = _words(
    """
    poll survey study report website site blog memo audit filing lawsuit suit document
    documents records emails email letter data census forecast
    """
)
