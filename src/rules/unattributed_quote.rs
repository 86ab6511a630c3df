//! # unattributed-quote
//!
//! ## What it does
//! Flags speech that nobody is credited with. Speech is a quotation of five or more words,
//! or one standing on its own that ends in `.` `!` `?` `,` inside the marks; quoted terms
//! (`'export plus'`, a Title-Case name, a short phrase woven into the sentence) and
//! quotations in headings are never flagged. A quotation is attributed when:
//! - its sentence names a speaker with a speech verb, before or after it:
//!   `Minister Choi said on the 1st, "…"`, `"…," the minister added.`,
//!   `"…," said Minister Choi.`, `Kim Min-ho, Director of …, evaluated, "…"`,
//!   `"…" — Minister Choi`; a question or exclamation may leave its speaker to open the
//!   next sentence (`"Is this fair?" Kim asked.`); Korean `「…」라고 말했다` counts too;
//! - its sentence cites a source: `according to X`, `in the words of X`, `as X put it`,
//!   `X's statement`, `the plan states: "…"`;
//! - a clause ending in `,` or `:` introduces it, with a name, title or pronoun and a verb
//!   (`At that time, he urged, "…"`; the verb need not be a known speech verb), or, in
//!   minutes, just a person (`Chair Kwon: "…"`);
//! - for a block quote: the paragraph before it is such a lead-in (`X wrote:`), a source
//!   line (`— X, *Report*, 2023`) is its last line or follows it, or its own text credits
//!   it (`> "…," the mayor said.`).
//!
//! A pronoun (`he`, `she`, `they`) attributes only when an earlier sentence of the same or
//! the previous paragraph names a person (a name, or a title used as one: `Chair Kwon`,
//! `the minister`; an organisation is not a person). Otherwise the speaker is reported as
//! ambiguous.
//!
//! ## Why it matters
//! Readers weigh words by who said them. A quotation without a speaker reads as the
//! document's own claim, or as hearsay, and cannot be checked before the draft circulates.
//!
//! ## Example
//! ```text
//! Growth has stalled. "Clusters are the future of our economy." The budget rises.
//!
//! The ministry closed the session. She added, "We will publish every score."
//! ```
//! The second `She` is ambiguous: the ministry is an organisation, not a person.
//!
//! ## Use instead
//! ```text
//! Growth has stalled. "Clusters are the future of our economy," Minister Choi said.
//!
//! Director Han closed the session. She added, "We will publish every score."
//! ```
//!
//! ## Options
//! - `[vocabulary] speech-verbs = ["bantered"]`: more verbs that attribute a quotation
//!   wherever they stand in its sentence (any form of the verb is recognised). Verbs in
//!   the past tense already count next to a speaker without being listed.
//! - The rule's level: `[rules] unattributed-quote = "information"` (or `"off"`).

use std::collections::HashMap;
use std::ops::Range;

use super::{Context, Gathered, Reporter, Rule, Scope};
use crate::analysis::quotations::{
    source_line, Quotation, QuotationForm, QuotationKind, SpeechVerbs, VerbForm,
};
use crate::analysis::{Document, Severity};

pub static RULE: Rule = Rule {
    name: "unattributed-quote",
    default_severity: Severity::Warning,
    scope: Scope::Split { gather, judge },
    source: include_str!("unattributed_quote.rs"),
    check,
};

fn check(cx: &Context, out: &mut Reporter) {
    super::check_split(&RULE, cx, out);
}

/// What a marked quotation's own block says of its speaker; only a pronoun needs more
/// (whether the previous paragraph, perhaps in another piece of the draft, names a person).
#[derive(Debug)]
enum Local {
    Found(Attribution),
    /// Credited to this pronoun, and no person is named before it in its paragraph.
    PronounAlone(String),
}

/// What [`gather`] keeps of a piece of the draft: only the quotations its blocks leave
/// to the judgement, so that judging costs nothing for the quotations they settle.
struct Piece {
    /// How many quotations the piece has (the draft's quotations are the pieces', in
    /// order).
    quotations: usize,
    /// By index in the piece, in order: each judged quotation that its own block does not
    /// attribute — what the block says of its speaker for a marked quotation, `None` for a
    /// block quote (judged from the blocks around it).
    pending: Vec<(usize, Option<Local>)>,
}

/// The block-local half, the expensive one: each judged quotation of the piece (speech,
/// not inside another quotation, not in a heading), with what its own block says of its
/// speaker if it is a marked quotation; kept unless that attributes it.
fn gather(cx: &Context) -> Gathered {
    let doc = cx.doc;
    let mut judge = Judge::new(doc, SpeechVerbs::new(&cx.config.speech_verbs));
    let mut pending = Vec::new();
    for (index, quotation) in doc.quotations.iter().enumerate() {
        let judged = quotation.kind == QuotationKind::Speech
            && quotation.enclosing.is_none()
            && !doc.blocks[quotation.block].is_heading();
        if !judged {
            continue;
        }
        let local = match quotation.form {
            QuotationForm::Marked => match judge.marked_attribution(quotation) {
                Local::Found(Attribution::Attributed) => continue,
                local => Some(local),
            },
            QuotationForm::Block { .. } => None,
        };
        pending.push((index, local));
    }
    Box::new(Piece {
        quotations: doc.quotations.len(),
        pending,
    })
}

/// The document-wide half: the verdict on each quotation a piece left pending, from what
/// its block said (a marked quotation) or from the blocks around it (a block quote).
fn judge(cx: &Context, pieces: &[(usize, &Gathered)], out: &mut Reporter) {
    let doc = cx.doc;
    let mut judge = Judge::new(doc, SpeechVerbs::new(&cx.config.speech_verbs));
    let mut first = 0;
    for piece in pieces.iter().filter_map(|(_, g)| g.downcast_ref::<Piece>()) {
        for (in_piece, local) in &piece.pending {
            let index = first + in_piece;
            let Some(quotation) = doc.quotations.get(index) else {
                continue;
            };
            let attribution = match local {
                Some(Local::Found(attribution)) => attribution.clone(),
                Some(Local::PronounAlone(pronoun)) => {
                    judge.unless_named_before(pronoun.clone(), quotation.block)
                }
                None => judge.attribution(index),
            };
            report(quotation, attribution, out);
        }
        first += piece.quotations;
    }
}

/// Reports `quotation` unless `attribution` names who said it.
fn report(quotation: &Quotation, attribution: Attribution, out: &mut Reporter) {
    match attribution {
        Attribution::Attributed => {}
        Attribution::Missing => out.report(
            quotation.range.clone(),
            "Quotation is not attributed to anyone; name who said it or cite its source",
            None,
        ),
        Attribution::AmbiguousPronoun(pronoun) => out.report(
            quotation.range.clone(),
            format!(
                "Speaker is ambiguous: no person is named before `{pronoun}` in this or \
                 the previous paragraph; name who said it"
            ),
            None,
        ),
    }
}

/// The verdict on one quotation.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Attribution {
    Attributed,
    Missing,
    /// Credited only to this pronoun, which refers to no person named before it.
    AmbiguousPronoun(String),
}

/// Who a sentence credits its speech to.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Speaker {
    /// A name, a title, a document or a body.
    Named,
    /// `he`, `she`, `they`, at this offset.
    Pronoun { word: String, at: usize },
}

/// Attributes quotations, remembering what it has read so that each sentence and each
/// block is analysed at most once.
struct Judge<'a> {
    doc: &'a Document,
    verbs: SpeechVerbs,
    /// The last sentence analysed (consecutive quotations often share one).
    last_sentence: Option<(Range<usize>, Option<Speaker>)>,
    /// Block → offset of the first person it names.
    first_person: HashMap<usize, Option<usize>>,
}

impl<'a> Judge<'a> {
    fn new(doc: &'a Document, verbs: SpeechVerbs) -> Self {
        Judge {
            doc,
            verbs,
            last_sentence: None,
            first_person: HashMap::new(),
        }
    }

    fn attribution(&mut self, index: usize) -> Attribution {
        let quotation = &self.doc.quotations[index];
        match &quotation.form {
            QuotationForm::Marked => match self.marked_attribution(quotation) {
                Local::Found(attribution) => attribution,
                Local::PronounAlone(word) => self.unless_named_before(word, quotation.block),
            },
            QuotationForm::Block { index: bq, source } => {
                if source.is_some() || self.followed_by_source_line(*bq) {
                    return Attribution::Attributed;
                }
                let lead_in = self.lead_in_attribution(*bq);
                if lead_in != Attribution::Missing {
                    return lead_in;
                }
                self.inner_attribution(index)
            }
        }
    }

    /// The sentence that holds a marked quotation (its block, if sentences are missing).
    fn sentence_of(&self, quotation: &Quotation) -> Range<usize> {
        let block = &self.doc.blocks[quotation.block];
        let sentences = self.doc.sentences_of(block);
        let at = sentences.partition_point(|s| s.end <= quotation.range.start);
        sentences
            .get(at)
            .cloned()
            .unwrap_or_else(|| block.range.clone())
    }

    fn sentence_speaker(&mut self, sentence: Range<usize>) -> Option<Speaker> {
        if let Some((last, speaker)) = &self.last_sentence {
            if *last == sentence {
                return speaker.clone();
            }
        }
        let tokens = tokenize(self.doc, sentence.clone());
        let speaker = Reader::new(&tokens, &self.verbs).speaker();
        self.last_sentence = Some((sentence, speaker.clone()));
        speaker
    }

    /// `"Is this fair?" Kim asked.`: a question or exclamation ends its sentence, and the
    /// speaker opens the next one.
    fn speaker_after_question(
        &self,
        quotation: &Quotation,
        sentence: Range<usize>,
    ) -> Option<Speaker> {
        let doc = self.doc;
        let ends_sentence = quotation.range.end >= sentence.end;
        let asks = doc
            .prose(quotation.inner.clone())
            .trim_end()
            .ends_with(['?', '!', '？', '！']);
        if !(ends_sentence && asks) {
            return None;
        }
        let sentences = doc.sentences_of(&doc.blocks[quotation.block]);
        let next = sentences.get(sentences.partition_point(|s| s.start < sentence.end))?;
        let mut tokens = vec![Token::Quote { speech: true }];
        tokens.extend(tokenize(doc, next.clone()));
        Reader::new(&tokens, &self.verbs).tail_speaker(0)
    }

    /// What a marked quotation's own block says: its sentence's speaker, or the next
    /// sentence's after a question, resolved as far as its paragraph allows.
    fn marked_attribution(&mut self, quotation: &Quotation) -> Local {
        let sentence = self.sentence_of(quotation);
        let speaker = match self.sentence_speaker(sentence.clone()) {
            None => self.speaker_after_question(quotation, sentence),
            found => found,
        };
        self.resolve_in_block(speaker, quotation.block)
    }

    /// A pronoun speaker counts only with a person named before it in its paragraph or
    /// anywhere in the previous one.
    fn resolve(&mut self, speaker: Option<Speaker>, block: usize) -> Attribution {
        match self.resolve_in_block(speaker, block) {
            Local::Found(attribution) => attribution,
            Local::PronounAlone(word) => self.unless_named_before(word, block),
        }
    }

    /// [`Judge::resolve`] as far as block `block` alone tells.
    fn resolve_in_block(&mut self, speaker: Option<Speaker>, block: usize) -> Local {
        match speaker {
            None => Local::Found(Attribution::Missing),
            Some(Speaker::Named) => Local::Found(Attribution::Attributed),
            Some(Speaker::Pronoun { word, at }) => {
                if self.first_person(block).is_some_and(|p| p < at) {
                    Local::Found(Attribution::Attributed)
                } else {
                    Local::PronounAlone(word)
                }
            }
        }
    }

    /// The rest of [`Judge::resolve`]: a pronoun in block `block` that no person before
    /// it in the block explains counts if the previous block names a person.
    fn unless_named_before(&mut self, pronoun: String, block: usize) -> Attribution {
        if block > 0 && self.first_person(block - 1).is_some() {
            Attribution::Attributed
        } else {
            Attribution::AmbiguousPronoun(pronoun)
        }
    }

    fn first_person(&mut self, block: usize) -> Option<usize> {
        let doc = self.doc;
        *self
            .first_person
            .entry(block)
            .or_insert_with(|| first_person(&tokenize(doc, doc.blocks[block].range.clone())))
    }

    /// `— X` as the first line of the block right after block quote `bq`.
    fn followed_by_source_line(&self, bq: usize) -> bool {
        let next = self.doc.block_quotes[bq].blocks.end;
        self.doc.blocks.get(next).is_some_and(|block| {
            let prose = self.doc.prose(block.range.clone());
            let first_line = prose.find('\n').unwrap_or(prose.len());
            source_line(self.doc, block.range.start..block.range.start + first_line).is_some()
        })
    }

    /// The paragraph before block quote `bq`, read as its lead-in (`X said:`).
    fn lead_in_attribution(&mut self, bq: usize) -> Attribution {
        let Some(before) = self.doc.block_quotes[bq].blocks.start.checked_sub(1) else {
            return Attribution::Missing;
        };
        let block = &self.doc.blocks[before];
        let Some(sentence) = self.doc.sentences_of(block).last().cloned() else {
            return Attribution::Missing;
        };
        if !self
            .doc
            .prose(sentence.clone())
            .trim_end()
            .ends_with([':', ',', '：'])
        {
            return Attribution::Missing;
        }
        let mut tokens = tokenize(self.doc, sentence);
        // The block quote stands where a marked quotation would.
        tokens.push(Token::Quote { speech: true });
        let speaker = Reader::new(&tokens, &self.verbs).speaker();
        self.resolve(speaker, before)
    }

    /// A block quote whose own text credits a marked quotation inside it
    /// (`> "…," the mayor said.`).
    fn inner_attribution(&mut self, index: usize) -> Attribution {
        let doc = self.doc;
        let inside = doc.quotations[index + 1..]
            .iter()
            .take_while(|q| q.enclosing.is_some_and(|e| e >= index))
            .filter(|q| q.enclosing == Some(index));
        for quotation in inside {
            let sentence = self.sentence_of(quotation);
            let speaker = self.sentence_speaker(sentence);
            if self.resolve(speaker, quotation.block) == Attribution::Attributed {
                return Attribution::Attributed;
            }
        }
        Attribution::Missing
    }
}

/// A sentence as the attribution rules read it: words and clause breaks outside
/// quotations, each marked quotation one token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'a> {
    Word {
        text: &'a str,
        at: usize,
    },
    /// `,` `;` `:` a bracket or a dash.
    Break(char),
    Quote {
        speech: bool,
    },
}

impl<'a> Token<'a> {
    fn word(&self) -> Option<&'a str> {
        match self {
            Token::Word { text, .. } => Some(text),
            _ => None,
        }
    }
}

fn tokenize(doc: &Document, range: Range<usize>) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut at = range.start;
    let first = doc
        .quotations
        .partition_point(|q| q.range.start < range.start);
    for quotation in &doc.quotations[first..] {
        if quotation.range.start >= range.end {
            break;
        }
        if quotation.form != QuotationForm::Marked || quotation.range.start < at {
            continue;
        }
        push_words(doc, at..quotation.range.start, &mut tokens);
        tokens.push(Token::Quote {
            speech: quotation.kind == QuotationKind::Speech,
        });
        at = quotation.range.end.min(range.end);
    }
    push_words(doc, at..range.end, &mut tokens);
    tokens
}

/// Words are letters and digits, with inner `-` and apostrophes (`Beom-seok`, `Yoon's`).
fn push_words<'a>(doc: &'a Document, range: Range<usize>, tokens: &mut Vec<Token<'a>>) {
    let prose = doc.prose(range.clone());
    let mut chars = prose.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, next)) = chars.peek() {
                let joins = matches!(next, '-' | '\'' | '’')
                    && prose[j + next.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric);
                if !(next.is_alphanumeric() || joins) {
                    break;
                }
                end = j + next.len_utf8();
                chars.next();
            }
            tokens.push(Token::Word {
                text: &prose[i..end],
                at: range.start + i,
            });
        } else if matches!(
            c,
            ',' | ';' | ':' | '(' | ')' | '—' | '–' | '，' | '：' | '；' | '（' | '）'
        ) {
            tokens.push(Token::Break(c));
        }
    }
}

/// Reads one sentence's tokens for its speaker.
struct Reader<'t, 'a> {
    tokens: &'t [Token<'a>],
    verbs: &'t SpeechVerbs,
    /// The sentence's first pronoun or name: usually its subject, and the speaker of a verb
    /// that stands apart from it (`Kim …, Director of …, evaluated, "…"`). Found once.
    subject: Option<Speaker>,
}

impl<'t, 'a> Reader<'t, 'a> {
    fn new(tokens: &'t [Token<'a>], verbs: &'t SpeechVerbs) -> Self {
        Reader {
            tokens,
            verbs,
            subject: sentence_subject(tokens),
        }
    }

    /// Who the sentence credits, if anyone; a name wins over a pronoun.
    fn speaker(&self) -> Option<Speaker> {
        if cites_source(self.tokens) {
            return Some(Speaker::Named);
        }
        let mut pronoun = None;
        for (i, token) in self.tokens.iter().enumerate() {
            let found = match *token {
                Token::Quote { speech: true } => {
                    self.lead_in_speaker(i).or_else(|| self.tail_speaker(i))
                }
                Token::Word { text, .. } => self
                    .verbs
                    .form(text)
                    .filter(|&form| self.stands_as_verb(form, i))
                    .map(|_| self.verb_subject(i)),
                _ => None,
            };
            match found {
                Some(Speaker::Named) => return Some(Speaker::Named),
                Some(p) => pronoun = pronoun.or(Some(p)),
                None => {}
            }
        }
        pronoun
    }

    /// Whether a known speech verb is used as a verb here. Past forms are, unless a
    /// determiner makes them adjectives (`the stated goal`); `states` must introduce
    /// something (`the plan states:`) or follow a name; `saying` must follow a comma or
    /// `by`; bare `state`, too often a noun, must follow `would`, `will`, ….
    fn stands_as_verb(&self, form: VerbForm, i: usize) -> bool {
        let tokens = self.tokens;
        let prev = i.checked_sub(1).map(|p| tokens[p]);
        let next = tokens.get(i + 1).copied();
        let introduces = matches!(
            next,
            Some(Token::Break(',' | ':' | '，' | '：') | Token::Quote { .. })
        ) || next.and_then(|t| t.word()) == Some("that");
        let prev_word = prev.and_then(|t| t.word());
        match form {
            // Not `the stated goal`, `an added cost`.
            VerbForm::Past => !prev_word.is_some_and(is_determiner),
            VerbForm::Present => {
                introduces
                    || matches!(prev, Some(Token::Quote { .. } | Token::Break(',')))
                    || prev_word.is_some_and(|w| is_pronoun(w) || is_capitalised(w))
            }
            VerbForm::Participle => {
                introduces
                    || matches!(prev, Some(Token::Break(',')))
                    || prev_word.is_some_and(|w| {
                        ["by", "while", "when", "after", "before", "in", "as"]
                            .contains(&w.to_lowercase().as_str())
                    })
            }
            // `would say "…"`, `will state:`.
            VerbForm::Base => prev_word.is_some_and(is_modal),
        }
    }

    /// The speaker of the speech verb at `i`: the word before it, the word after it
    /// (`said Minister Choi`), or else the sentence's subject.
    fn verb_subject(&self, i: usize) -> Speaker {
        subject_before(self.tokens, i)
            .or_else(|| subject_at(self.tokens, i + 1))
            .or_else(|| self.subject.clone())
            .unwrap_or(Speaker::Named)
    }

    /// A verb in the clause that ends with `,`, `:` or `that` right before the quotation at
    /// `q`, with a name, title or pronoun before it: `At that time, he urged, "…"`,
    /// `The survey found that "…"`.
    fn lead_in_speaker(&self, q: usize) -> Option<Speaker> {
        let tokens = self.tokens;
        let comma = q.checked_sub(1)?;
        let introduces = matches!(tokens[comma], Token::Break(',' | ':' | '，' | '：'))
            || tokens[comma].word() == Some("that");
        if !introduces {
            return None;
        }
        let start = tokens[..comma]
            .iter()
            .rposition(|t| t.word().is_none())
            .map_or(0, |p| p + 1);
        // Minutes and interviews: `Chair Kwon: "…"`.
        let names_speaker = matches!(tokens[comma], Token::Break(':' | '：'))
            && first_person(&tokens[start..comma]).is_some();
        if names_speaker {
            return Some(Speaker::Named);
        }
        // `…, reminding, "…"`: a participle alone between commas introduces speech,
        // whatever the verb.
        let lone_participle = comma == start + 1
            && tokens[start]
                .word()
                .is_some_and(|w| w.starts_with(char::is_lowercase) && w.ends_with("ing"));
        (start..comma)
            .filter(|&k| {
                lone_participle
                    || tokens[k]
                        .word()
                        .is_some_and(|w| is_reporting_verb(w, self.verbs))
            })
            .find_map(|k| {
                let participle = tokens[k].word().is_some_and(|w| w.ends_with("ing"));
                subject_before(&tokens[start..], k - start).or_else(|| {
                    // `Kim …, Director of …, evaluated, "…"` and `…, saying, "…"`: the
                    // subject is the sentence's.
                    ((k == start && start > 0) || participle)
                        .then(|| self.subject.clone())
                        .flatten()
                })
            })
    }

    /// A speaker and verb right after the quotation at `q`: `"…," she said`,
    /// `"…," said Minister Choi`, `"…," Han quipped`, `"…" — Minister Choi`.
    fn tail_speaker(&self, q: usize) -> Option<Speaker> {
        let tokens = self.tokens;
        let mut start = q + 1;
        match tokens.get(start) {
            Some(Token::Break(',')) => start += 1,
            Some(Token::Break('—' | '–')) => {
                return subject_at(tokens, start + 1).filter(|s| *s == Speaker::Named);
            }
            _ => {}
        }
        // Korean reported speech: a quotative particle after the marks (`「…」라고 말했다`,
        // `「…」고 강조했다`, `「…」라며`) ties the quotation to the clause's speaker.
        const QUOTATIVES: &[&str] = &["라고", "이라고", "고", "라며", "이라며", "며"];
        if tokens
            .get(start)
            .and_then(|t| t.word())
            .is_some_and(|w| QUOTATIVES.contains(&w))
        {
            return Some(Speaker::Named);
        }
        // Room for a title and a full name before the verb.
        const MAX_WORDS_BEFORE_VERB: usize = 6;
        let clause: Vec<Token> = tokens[start..]
            .iter()
            .take(MAX_WORDS_BEFORE_VERB + 2)
            .take_while(|t| t.word().is_some())
            .copied()
            .collect();
        // After a subject, the present tense counts too: `"…," the authors concede`.
        let k = clause
            .iter()
            .take(MAX_WORDS_BEFORE_VERB + 1)
            .enumerate()
            .position(|(i, t)| {
                t.word().is_some_and(|w| {
                    is_reporting_verb(w, self.verbs)
                        || (i > 0 && self.verbs.form(w) == Some(VerbForm::Base))
                })
            })?;
        // `"…" is a line often repeated`: the quotation is the subject, nobody speaks.
        let copula = clause[..k]
            .iter()
            .filter_map(|t| t.word())
            .any(|w| matches!(w, "is" | "was" | "are" | "were" | "be" | "been"));
        if copula {
            return None;
        }
        if k == 0 {
            subject_at(&clause, 1)
        } else {
            subject_before(&clause, k)
        }
    }
}

/// Nouns for what someone said or wrote: `the minister's statement`.
const SPEECH_NOUNS: &[&str] = &[
    "statement",
    "statements",
    "message",
    "words",
    "remarks",
    "comments",
    "speech",
    "address",
    "letter",
    "reply",
    "answer",
    "response",
    "testimony",
    "announcement",
    "post",
    "tweet",
];

/// `according to X`, `in the words of X`, `as X put it`, `X's statement`.
fn cites_source(tokens: &[Token]) -> bool {
    let words: Vec<String> = tokens
        .iter()
        .map(|t| t.word().unwrap_or("").to_lowercase())
        .collect();
    let has = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    let possessive_statement = words.windows(2).any(|pair| {
        (pair[0].ends_with("'s") || pair[0].ends_with("’s"))
            && SPEECH_NOUNS.contains(&pair[1].as_str())
    });
    has(&["according", "to"])
        || has(&["in", "the", "words", "of"])
        || has(&["put", "it"])
        || possessive_statement
}

fn is_modal(word: &str) -> bool {
    const MODALS: &[&str] = &[
        "would", "will", "could", "can", "might", "may", "should", "must", "shall", "did", "does",
    ];
    MODALS.iter().any(|m| m.eq_ignore_ascii_case(word))
}

/// Irregular past tenses that report what a speaker or a document said or found.
const IRREGULAR_REPORTING_PASTS: &[&str] = &["found", "held", "thought", "felt", "knew", "put"];

/// A verb that can report speech: a known speech verb in any form but the bare one, or any
/// past tense (`elaborated`, `quipped`, `found`), which only counts next to a speaker.
fn is_reporting_verb(word: &str, verbs: &SpeechVerbs) -> bool {
    match verbs.form(word) {
        Some(VerbForm::Base) => false,
        Some(_) => true,
        None => is_regular_past(word) || IRREGULAR_REPORTING_PASTS.contains(&word),
    }
}

/// Words ending in `-ed` that are not past tenses.
const NOT_PAST: &[&str] = &[
    "indeed", "need", "speed", "proceed", "exceed", "succeed", "seed", "feed", "greed", "breed",
    "hundred", "kindred", "sacred", "naked", "wicked", "rugged",
];

fn is_regular_past(word: &str) -> bool {
    word.chars().count() >= 5
        && word.ends_with("ed")
        && word.starts_with(|c: char| c.is_lowercase())
        && !NOT_PAST.contains(&word)
}

/// Adverbs and auxiliaries that may stand between a subject and its verb.
fn is_adverb(word: &str) -> bool {
    const LINKS: &[&str] = &[
        "also",
        "further",
        "then",
        "later",
        "again",
        "once",
        "had",
        "has",
        "have",
        "would",
        "will",
        "not",
        "first",
        "already",
        "still",
        "even",
        "just",
        "often",
        "earlier",
        "subsequently",
        "finally",
        "previously",
        "recently",
    ];
    word.starts_with(|c: char| c.is_lowercase())
        && ((word.len() > 4 && word.ends_with("ly")) || LINKS.contains(&word))
}

/// The subject standing before the verb at `k`, skipping adverbs.
fn subject_before(tokens: &[Token], k: usize) -> Option<Speaker> {
    let mut j = k;
    while j > 0 {
        j -= 1;
        match tokens[j].word() {
            Some(w) if is_adverb(w) => continue,
            Some(_) => return subject_at(tokens, j),
            None => return None,
        }
    }
    None
}

/// Whether the word at `j` can be a speaker: a pronoun, a capitalised name or title, or a
/// noun after a determiner (`the minister`, `the plan`).
fn subject_at(tokens: &[Token], j: usize) -> Option<Speaker> {
    let Token::Word { text, at } = *tokens.get(j)? else {
        return None;
    };
    if is_pronoun(text) {
        return Some(Speaker::Pronoun {
            word: text.to_owned(),
            at,
        });
    }
    let first_person = matches!(text, "I" | "We" | "we");
    let name = is_capitalised(text) && !is_function_word(text);
    // `said the minister`: the determiner opens the speaker.
    (name || first_person || heads_noun_phrase(tokens, j) || is_determiner(text))
        .then_some(Speaker::Named)
}

/// Whether the word at `j` ends a noun phrase that a determiner or possessive opens at most
/// one lower-case word earlier: `the minister`, `the port survey`, `the ministry's
/// spokesperson`, `a senior economist`.
fn heads_noun_phrase(tokens: &[Token], j: usize) -> bool {
    let word = |i: usize| tokens.get(i).and_then(|t| t.word());
    let determines = |w: &str| is_determiner(w) || w.ends_with("'s") || w.ends_with("’s");
    let prev = j.checked_sub(1).and_then(word);
    prev.is_some_and(determines)
        || (prev.is_some_and(|p| !is_capitalised(p))
            && j.checked_sub(2).and_then(word).is_some_and(determines))
}

/// The first pronoun or name in the sentence, which is usually its subject.
fn sentence_subject(tokens: &[Token]) -> Option<Speaker> {
    (0..tokens.len()).find_map(|j| {
        let word = tokens[j].word()?;
        (is_pronoun(word) || (is_capitalised(word) && !is_function_word(word)))
            .then(|| subject_at(tokens, j))
            .flatten()
    })
}

fn is_pronoun(word: &str) -> bool {
    ["he", "she", "they"]
        .iter()
        .any(|p| p.eq_ignore_ascii_case(word))
}

fn is_capitalised(word: &str) -> bool {
    word.starts_with(char::is_uppercase)
}

fn is_determiner(word: &str) -> bool {
    const DETERMINERS: &[&str] = &[
        "the", "a", "an", "this", "that", "our", "their", "his", "her", "its", "former",
    ];
    DETERMINERS.iter().any(|d| d.eq_ignore_ascii_case(word))
}

/// Capitalised words that start sentences without naming anyone.
fn is_function_word(word: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "during",
        "after",
        "before",
        "while",
        "when",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "our",
        "their",
        "his",
        "her",
        "and",
        "but",
        "or",
        "also",
        "however",
        "meanwhile",
        "for",
        "from",
        "to",
        "with",
        "by",
        "of",
        "as",
        "if",
        "according",
        "yesterday",
        "today",
        "tomorrow",
        "earlier",
        "later",
        "then",
        "there",
        "here",
        "such",
        "some",
        "many",
        "most",
        "all",
        "each",
        "every",
        "other",
        "another",
        "both",
        "what",
        "why",
        "how",
        "where",
        "who",
        "which",
        "since",
        "although",
        "though",
        "because",
        "under",
        "over",
        "into",
        "instead",
        "currently",
        "recently",
        "moreover",
        "furthermore",
        "additionally",
        "finally",
        "first",
        "second",
        "third",
        "thus",
        "therefore",
        "so",
        "not",
        "no",
        "nor",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(word))
}

/// Titles and other nouns that name a person (NOTES decision 6): `Minister Yoon`,
/// `the minister`, `Director of …`, `…, Vice Chairman of …`, `a senior economist`.
const TITLES: &[&str] = &[
    "president",
    "minister",
    "director",
    "chair",
    "chairman",
    "chairwoman",
    "chairperson",
    "secretary",
    "governor",
    "mayor",
    "senator",
    "assemblyman",
    "assemblywoman",
    "lawmaker",
    "legislator",
    "commissioner",
    "ambassador",
    "professor",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "ceo",
    "chancellor",
    "premier",
    "administrator",
    "superintendent",
    "councillor",
    "councilor",
    "official",
    "deputy",
    "vice",
    "judge",
    "prosecutor",
    "inspector",
    "auditor",
    "economist",
    "analyst",
    "expert",
    "researcher",
    "engineer",
    "representative",
    "farmer",
    "fisherman",
    "worker",
    "rider",
    "driver",
    "resident",
    "teacher",
    "doctor",
    "nurse",
    "student",
    "founder",
    "owner",
];

/// Honorifics before a name: `Ms Seo`, `Dr. Park`.
const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "dr", "prof"];

/// Romanised Korean surnames: with a hyphenated given name they make a full name
/// (`Kim Beom-seok`); alone they name a person when a verb follows (`Han concluded`).
const SURNAMES: &[&str] = &[
    "kim", "lee", "park", "choi", "jung", "jeong", "kang", "cho", "jo", "yoon", "yun", "jang",
    "chang", "lim", "im", "han", "oh", "seo", "suh", "shin", "kwon", "hwang", "ahn", "an", "song",
    "yoo", "yu", "hong", "jeon", "chun", "ko", "moon", "mun", "yang", "son", "bae", "baek", "paik",
    "heo", "huh", "nam", "noh", "roh", "ha", "kwak", "sung", "seong", "cha", "joo", "woo", "min",
    "ryu", "na", "jin", "ji", "eom", "chae", "won", "bang", "gong", "hyun", "ham", "byun", "yeom",
    "choo", "rhee", "pyo", "koo", "ku", "tak", "gil", "shim", "sim", "cheon", "hur",
];

/// Offset of the first person a block names, if any.
fn first_person(tokens: &[Token]) -> Option<usize> {
    let word = |j: usize| tokens.get(j).and_then(|t| t.word());
    (0..tokens.len()).find_map(|j| {
        let Token::Word { text, at } = tokens[j] else {
            return None;
        };
        let bare = text
            .trim_end_matches("'s")
            .trim_end_matches("’s")
            .to_lowercase();
        let next = word(j + 1);
        let next_is_name = next.is_some_and(is_capitalised);
        let after_determiner = j.checked_sub(1).and_then(word).is_some_and(is_determiner);
        let after_comma = j > 0 && tokens[j - 1] == Token::Break(',');
        let title = TITLES.contains(&bare.as_str())
            && if is_capitalised(text) {
                next_is_name || next == Some("of") || after_determiner || after_comma
            } else {
                heads_noun_phrase(tokens, j)
            };
        let honorific = HONORIFICS.contains(&bare.as_str()) && next_is_name;
        let surname = is_capitalised(text)
            && SURNAMES.contains(&bare.as_str())
            && next.is_some_and(|n| {
                let given_name = is_capitalised(n) && n.contains('-');
                let verb_follows = bare.len() >= 3
                    && !after_determiner
                    && (is_regular_past(n) || n == "said" || is_adverb(n));
                given_name || verb_follows
            });
        (title || honorific || surname).then_some(at)
    })
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze, DocumentKind};
    use crate::config::Config;

    const RULE: &str = "unattributed-quote";

    fn flagged_with(text: &str, kind: DocumentKind, config: &Config) -> Vec<String> {
        analyze(text, kind, config)
            .diagnostics
            .into_iter()
            .filter(|d| d.rule == RULE)
            .map(|d| text[d.range].to_owned())
            .collect()
    }

    /// Asserts the rule flags exactly `expected` (the flagged texts, in order).
    fn assert_flags(text: &str, kind: DocumentKind, expected: &[&str]) {
        assert_eq!(
            flagged_with(text, kind, &Config::default()),
            expected,
            "in {text:?}"
        );
    }

    fn assert_no_findings(text: &str) {
        assert_flags(text, DocumentKind::PlainText, &[]);
    }

    fn messages(text: &str) -> Vec<String> {
        analyze(text, DocumentKind::PlainText, &Config::default())
            .diagnostics
            .into_iter()
            .filter(|d| d.rule == RULE)
            .map(|d| d.message.to_string())
            .collect()
    }

    #[test]
    fn flags_speech_standing_alone() {
        assert_flags(
            "Exports have stalled. \"Ports are the future of our trade.\" The budget rises.\n",
            DocumentKind::PlainText,
            &["\"Ports are the future of our trade.\""],
        );
        assert_flags(
            "\"This is the only way forward.\"\n",
            DocumentKind::PlainText,
            &["\"This is the only way forward.\""],
        );
        assert_flags(
            "□ 「Fishers will not stay without a fair price.」\n",
            DocumentKind::PlainText,
            &["「Fishers will not stay without a fair price.」"],
        );
    }

    #[test]
    fn speaker_before_the_quote() {
        assert_no_findings(
            "Governor Lim Da-eun stated on the 3rd, \"Ports must be rebuilt before the storms return.\"\n",
        );
        assert_no_findings(
            "Park Ji-ho, Director of Ports at the Ministry of Oceans, evaluated, \"Our harbours have been neglected for a decade.\"\n",
        );
        assert_no_findings(
            "In its audit, the Board of Audit stated: \"Old cranes were left running for years.\"\n",
        );
        assert_no_findings(
            "The 3rd Port Plan states: \"Container capacity will double by 2030.\"\n",
        );
    }

    #[test]
    fn present_tense_after_a_plural_subject() {
        assert_no_findings(
            "\"We underestimated the cost of the harbour works,\" the report's authors concede.\n",
        );
    }

    #[test]
    fn speaker_after_the_quote() {
        assert_no_findings(
            "“Every berth we add buys time for the fleet,” said Minister Jang. She left.\n",
        );
        assert_no_findings(
            "\"We chose depth over breadth, and that is final,\" the minister added.\n",
        );
        assert_no_findings(
            "\"Will fees rise for small fishing boats?\" asked Assemblywoman Noh during questions.\n",
        );
        assert_no_findings(
            "\"The cut was a correction, not a new direction,\" Vice Minister Seo Ha-neul told reporters.\n",
        );
    }

    #[test]
    fn open_ended_verbs_by_structure() {
        assert_no_findings(
            "Minister Bae opened the forum. He further elaborated, \"The 'blue corridor' must be concretised soon.\"\n",
        );
        assert_no_findings(
            "Minister Bae visited the port in May. At that time, he urged, \"We must rethink where the money goes.\"\n",
        );
        assert_no_findings("\"The tide has turned for good now,\" Bae quipped.\n");
        assert_no_findings(
            "A skipper who lost the permit would say \"What on earth is going on here?\" at once.\n",
        );
        assert_no_findings(
            "Minister Bae cut the ribbon, reminding, \"Ports built today must serve until 2080.\"\n",
        );
    }

    #[test]
    fn findings_and_adjectives() {
        assert_no_findings(
            "The port survey found that \"most crews earn less than they did in 2019.\"\n",
        );
        assert_flags(
            "The stated goal is \"a working harbour in every town that wants one.\"\n",
            DocumentKind::PlainText,
            &["\"a working harbour in every town that wants one.\""],
        );
        assert_flags(
            "\"Ports are the arteries of our trade,\" is a line often repeated.\n",
            DocumentKind::PlainText,
            &["\"Ports are the arteries of our trade,\""],
        );
    }

    #[test]
    fn configured_speech_verbs_count_anywhere() {
        let text = "Minister Bae, who bantered with reporters about \"a port that never sleeps at all,\" left.\n";
        assert_eq!(
            flagged_with(text, DocumentKind::PlainText, &Config::default()).len(),
            1
        );
        let config = Config {
            speech_verbs: vec!["banter".to_owned()],
            ..Config::default()
        };
        assert!(flagged_with(text, DocumentKind::PlainText, &config).is_empty());
    }

    #[test]
    fn speaker_of_a_question_opens_the_next_sentence() {
        assert_no_findings(
            "\"Why were the 2022 recommendations never implemented?\" Chair Gil asked.\n",
        );
        assert_flags(
            "Fees will rise. \"Who will pay for the new berths in the end?\" The ministry has no answer.\n",
            DocumentKind::PlainText,
            &["\"Who will pay for the new berths in the end?\""],
        );
    }

    #[test]
    fn dashes_possessives_and_minutes() {
        assert_no_findings("\"We will not retreat from this plan.\" — Minister Jang Mi-rae\n");
        assert_no_findings(
            "The minister's message was clear: \"We will not retreat from this plan.\"\n",
        );
        assert_no_findings("Chair Gil: \"The session will resume after lunch today.\"\n");
        assert_no_findings("\"Ports are the arteries of trade,\" was how the minister put it.\n");
        assert_flags(
            "Key findings: \"Ports are the arteries of our trade.\"\n",
            DocumentKind::PlainText,
            &["\"Ports are the arteries of our trade.\""],
        );
    }

    #[test]
    fn source_phrases() {
        assert_no_findings(
            "According to the Fisheries Agency (hereinafter \"FA\"), \"catch limits can be raised safely.\"\n",
        );
        assert_no_findings(
            "In the words of Vice Minister Ko Eun-bi, \"A single spill would set us back years.\"\n",
        );
    }

    #[test]
    fn pronouns_need_a_person_named_before() {
        assert_no_findings(
            "Ms Yang presented the audit. She said, \"Most of these contracts had no baseline at all.\"\n",
        );
        assert_no_findings(
            "Chair Gil closed the session.\n\"Reports without owners are only wishes,\" he said.\n",
        );
        assert_no_findings(
            "Han closed the meeting early. \"Investors read our calendar, not our releases,\" he said.\n",
        );
        assert_no_findings(
            "Jane Doe, a senior economist at the bank, spoke first. She said, \"Rates will stay high for a year.\"\n",
        );
        let text = "The ministry will publish its report.\nShe told reporters, \"The fleet did the heavy lifting this year.\"\n";
        assert_flags(
            text,
            DocumentKind::PlainText,
            &["\"The fleet did the heavy lifting this year.\""],
        );
        assert!(messages(text)[0].contains("`She`"));
        // An organisation is not a person, and neither is a river.
        assert_eq!(
            messages(
                "The Water Corporation draws from the Han River.\nShe stressed, \"Water reuse must be designed in from day one.\"\n"
            )
            .len(),
            1
        );
    }

    #[test]
    fn terms_headings_and_nested_quotes_are_not_flagged() {
        assert_no_findings(
            "The ministry set a goal of 'export plus' under the 'Blue Port Renewal Plan For Coastal Cities.' It aims to build a 'smart harbour.'\n",
        );
        assert_no_findings(
            "\"Mobility data\" means records of trips. The Campus (hereinafter \"the Campus\") opens.\n",
        );
        assert_flags(
            "# \"Ports have been neglected for too long\"\n\nBody text.\n",
            DocumentKind::Markdown,
            &[],
        );
        assert_no_findings(
            "Minister Do said, \"My father told me, 'Never sell the boat before the season ends.'\"\n",
        );
    }

    #[test]
    fn block_quotes() {
        assert_flags(
            "The Dockworkers Union wrote:\n\n> Any test that depends on tonnage will be gamed within a month.\n",
            DocumentKind::Markdown,
            &[],
        );
        assert_flags(
            "Intro.\n\n> When it storms, the fees go up, and so do the accidents.\n> — Dock worker, Busan, response No. 12\n",
            DocumentKind::Markdown,
            &[],
        );
        assert_flags(
            "Intro.\n\n> Harbours that stay empty for five years should be closed.\n\n— Port Review Board, 2023\n",
            DocumentKind::Markdown,
            &[],
        );
        assert_flags(
            "Officials said the ministry would act.\n\n> Nobody should work a twelve-hour shift for less than the minimum wage.\n",
            DocumentKind::Markdown,
            &["Nobody should work a twelve-hour shift for less than the minimum wage."],
        );
        assert_flags(
            "Intro.\n\n> \"We will not wait for the market to fix this,\" the mayor said.\n",
            DocumentKind::Markdown,
            &[],
        );
    }

    #[test]
    fn crlf_apostrophes_and_emoji() {
        assert_no_findings(
            "Minister Choi's office confirmed the plan.\r\n🎉\"We did it, and the port's future is safe,\" she said.\r\n",
        );
        assert_flags(
            "The port's plan is ready.\r\n🎉\"We did it, and the future is safe for all.\"\r\n",
            DocumentKind::PlainText,
            &["\"We did it, and the future is safe for all.\""],
        );
    }

    #[test]
    fn korean_reported_speech() {
        assert_no_findings("장관은 「데이터가 농가의 미래를 결정할 것이다.」라고 말했다.\n");
        assert_no_findings("정부는 「항만이 지역 경제의 미래를 결정한다」고 강조했다.\n");
    }
}
