//! Deterministic policy drafts of any size, for the benchmarks.
//!
//! The text is generated from the phrase lists below (all written for this project) with a
//! fixed-seed pseudo-random generator, so every run measures the same bytes. A draft mixes
//! what the analysis has to look at: numbered and headline headings, attributed,
//! unattributed and block quotations, quoted terms, figures with and without units, years
//! and dates, tables whose header carries the unit, lists, fenced code (Markdown), URLs,
//! Korean sentences, emoji, a lost em dash now and then and the odd unbalanced quote.
//!
//! Lives in `benches/corpus/mod.rs` (not `benches/corpus.rs`) so Cargo does not take it for
//! a benchmark target of its own.

/// The shape of a generated draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// Markdown with `\n` line ends.
    Markdown,
    /// The same Markdown with `\r\n` line ends.
    MarkdownCrlf,
    /// Plain text: numbered and headline headings, one paragraph per line in some
    /// sections and hard-wrapped paragraphs between blank lines in others.
    PlainText,
}

impl Flavor {
    pub const ALL: [Flavor; 3] = [Flavor::Markdown, Flavor::MarkdownCrlf, Flavor::PlainText];

    pub fn name(self) -> &'static str {
        match self {
            Flavor::Markdown => "markdown",
            Flavor::MarkdownCrlf => "markdown-crlf",
            Flavor::PlainText => "plaintext",
        }
    }

    pub fn is_markdown(self) -> bool {
        !matches!(self, Flavor::PlainText)
    }
}

/// A draft of at least `min_len` bytes (it stops at the first section end past it).
pub fn draft(flavor: Flavor, min_len: usize) -> String {
    let mut g = Generator {
        rng: Rng(0x5EED_D0C5 ^ min_len as u64),
        markdown: flavor.is_markdown(),
        out: String::with_capacity(min_len + 8 * 1024),
    };
    g.title();
    let mut section = 1;
    while g.out.len() < min_len {
        g.section(section);
        section += 1;
    }
    if flavor == Flavor::MarkdownCrlf {
        g.out.replace('\n', "\r\n")
    } else {
        g.out
    }
}

/// SplitMix64: tiny, fast and good enough to vary text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const TOPICS: &[&str] = &[
    "Harbour Access",
    "Housing Supply",
    "Skills and Apprenticeships",
    "Flood Resilience",
    "Clean Energy",
    "Public Transport",
    "Digital Infrastructure",
    "Research and Innovation",
    "Regional Investment",
    "Health and Care",
    "Small Business Support",
    "Water Quality",
];

const SUBTOPICS: &[&str] = &[
    "Funding",
    "Delivery",
    "Governance",
    "Risks",
    "Monitoring",
    "Partnerships",
    "Timeline",
    "Consultation",
];

const SUBJECTS: &[&str] = &[
    "The Council",
    "The regional authority",
    "The ministry",
    "The harbour board",
    "The development agency",
    "The programme office",
    "Each participating district",
    "The joint committee",
];

const VERBS: &[&str] = &[
    "will invest",
    "plans to allocate",
    "has set aside",
    "expects to spend",
    "will commit",
    "has secured",
];

const CURRENCY_FIGURES: &[&str] = &[
    "€148 million",
    "$2.3 billion",
    "£640,000",
    "30 trillion won",
    "890 billion KRW",
    "EUR 12.5m",
    "₩4,500억",
    "1.2bn dollars",
];

const COUNTED: &[&str] = &[
    "1,150 new homes",
    "600 construction jobs",
    "12 national strategic industries",
    "300 researchers",
    "1,800 to 1,900 small firms",
    "45 pilot schools",
    "8 regional hubs",
    "2,400 apprentices",
];

const MEASURES: &[&str] = &[
    "extend the harbour walk by 3.2 km",
    "remove 210,000 cubic metres of silt from the basin",
    "keep night-time noise below 55 decibels",
    "raise the sea wall by 1.2 metres",
    "add 120 MW of solar capacity",
    "lift productivity by 6.5 percent",
    "cut the dropout rate by 14 per cent",
    "raise the employment rate by 2.1 percentage points",
    "halve waiting times within 18 months",
    "bring the average commute under 25 minutes",
    "make the grant three times larger",
    "save 40 GWh of electricity a year",
];

const PURPOSES: &[&str] = &[
    "to modernise the quays",
    "for affordable housing on brownfield land",
    "to extend the tram line to the university",
    "for grants to firms that train young people",
    "to raise the sea wall along the northern shore",
    "for a shared laboratory campus",
    "to connect rural schools to full-fibre broadband",
];

const WHEN: &[&str] = &[
    "by 2030",
    "between 2025 and 2028",
    "in FY2026",
    "from 1 April 2026",
    "before the end of 2027",
    "over the next five years",
    "on 23 April 2025",
];

const UNITLESS: &[&str] = &[
    "Exports rose 6.5 last quarter.",
    "The fund will grow to 30 trillion by 2030.",
    "The agency will hire 300.",
    "Maintenance costs reached 1,200 in the first year.",
    "Applications fell by 15 after the deadline moved.",
];

const NOT_FIGURES: &[&str] = &[
    "The review follows the COVID-19 recovery plan and the G20 commitments made in 2021.",
    "Article 12 of the 2019 Act and Section 3.2 of the guidance still apply.",
    "The Industry 4.0 programme ranks in the top 10 of its kind.",
    "The board met on the 4th and again on 18 June 2025 at 10:00.",
    "Law 2013-45 remains in force until the new regulation (No. 5) is adopted.",
];

const SPEAKERS: &[&str] = &[
    "Mayor Ines Varga",
    "Minister Choi Soo-ah",
    "Harbour Master Tomas Okafor",
    "Dr Amara Lindqvist, Principal of Port Alder College,",
    "Director Kim Beom-seok",
    "Cllr Ruth Abernathy",
    "the chief executive, Paolo Ferreira,",
];

const SAID: &[&str] = &[
    "said",
    "stated",
    "added",
    "explained",
    "emphasised",
    "warned",
    "noted",
    "told reporters",
];

const SPEECH: &[&str] = &[
    "We will not ask residents to wait another decade for a waterfront they can use",
    "Every apprentice we train here is a skilled worker the region keeps",
    "This budget puts the money where the need is greatest",
    "Nothing in this plan moves a single working berth",
    "The evidence tells us that small grants, paid quickly, do the most good",
    "If we miss this window, the walls will fail before the money comes back",
    "Our partners abroad have shown that this can be done on time and on budget",
];

const TERMS: &[&str] = &[
    "'Blue Ribbon'",
    "“Open Quays”",
    "'export plus'",
    "“Green Corridor”",
    "'Skills Passport'",
];

const DOCUMENTS: &[&str] = &[
    "the consultation charter",
    "the 2024 annual report",
    "the joint statement",
    "the audit office's review",
];

const KOREAN: &[&str] = &[
    "두 항구는 2030년까지 수변 공간을 시민에게 돌려준다.",
    "총 사업비는 1,200억 원 규모이며 국비와 지방비로 나누어 부담한다.",
    "정부는 12개 국가전략산업에 대한 지원을 확대하기로 했다.",
    "제1조 이 계획은 항만 재생 사업의 기본 방향을 정한다.",
    "지역 대학과 기업이 함께 연구 인력 300명을 양성한다.",
];

const EMOJI: &[&str] = &["🌊", "🚢", "📈", "✅", "🏗️"];

const DASHED: &[&str] = &[
    "The quays?long closed to the public?will reopen in stages.",
    "Clusters?concentrated groups of firms and research bodies?are the focus.",
    "The yard?our oldest industrial site?becomes a park.",
];

const CODE: &[&str] = &[
    "[quay.north]\nlength_m = 640\ndepth_m = 4.5\nstatus = \"open\"",
    "GET /api/v1/budget?year=2026&unit=EUR\nAccept: application/json",
    "berth,depth_m,length_m\n7,4.5,120\n8,4.5,135",
];

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

struct Generator {
    rng: Rng,
    markdown: bool,
    out: String,
}

impl Generator {
    fn title(&mut self) {
        let topic = self.rng.pick(TOPICS);
        if self.markdown {
            self.line(&format!("# {topic} Strategy 2025–2030"));
            self.line("");
            self.line("**Draft for consultation · 14 March 2025**");
            self.line("");
        } else {
            self.line(&format!("{topic} Strategy 2025–2030"));
            self.line("A Plan for Growth That Reaches Every District");
        }
    }

    fn section(&mut self, n: usize) {
        let topic = self.rng.pick(TOPICS);
        let wrapped = self.rng.chance(50);
        self.heading(1, &format!("{n}."), topic);
        let count = 1 + self.rng.below(2);
        self.paragraphs(count, wrapped);
        for sub in 1..=2 + self.rng.below(3) {
            let subtopic = self.rng.pick(SUBTOPICS);
            self.heading(2, &format!("{n}.{sub}"), subtopic);
            let count = 1 + self.rng.below(3);
            self.paragraphs(count, wrapped);
            match self.rng.below(8) {
                0 | 1 => self.table(),
                2 | 3 => self.list(),
                4 => self.block_quote(),
                5 if self.markdown => self.code(),
                _ => {}
            }
        }
        if !self.markdown && self.rng.chance(30) {
            // A headline-style heading with no numbering.
            let subtopic = self.rng.pick(SUBTOPICS);
            self.line(&format!("{topic} and the {subtopic} Programme"));
            self.paragraphs(1, wrapped);
        }
    }

    fn heading(&mut self, level: usize, number: &str, title: &str) {
        if self.markdown {
            self.line(&format!("{} {number} {title}", "#".repeat(level + 1)));
            self.line("");
        } else {
            if !self.out.ends_with("\n\n") {
                self.line("");
            }
            self.line(&format!("{number} {title}"));
        }
    }

    fn paragraphs(&mut self, count: usize, wrapped: bool) {
        for _ in 0..count {
            let paragraph = self.paragraph();
            if self.markdown || wrapped {
                self.wrapped(&paragraph);
                self.line("");
            } else {
                self.line(&paragraph);
            }
        }
    }

    fn paragraph(&mut self) -> String {
        let mut p = String::new();
        for i in 0..2 + self.rng.below(5) {
            if i > 0 {
                p.push(' ');
            }
            let sentence = self.sentence();
            p.push_str(&sentence);
        }
        p
    }

    fn sentence(&mut self) -> String {
        let r = &mut self.rng;
        match r.below(20) {
            0..=3 => format!(
                "{} {} {} {} {}.",
                r.pick(SUBJECTS),
                r.pick(VERBS),
                r.pick(CURRENCY_FIGURES),
                r.pick(PURPOSES),
                r.pick(WHEN)
            ),
            4 | 5 => format!(
                "{} expects to support {} and to {} {}.",
                r.pick(SUBJECTS),
                r.pick(COUNTED),
                r.pick(MEASURES),
                r.pick(WHEN)
            ),
            6 => format!(
                "\"{},\" {} {}.",
                r.pick(SPEECH),
                r.pick(SAID),
                r.pick(SPEAKERS).trim_end_matches(',')
            ),
            7 => format!(
                "{} {}, \"{}.\"",
                capitalised(r.pick(SPEAKERS)),
                r.pick(SAID),
                r.pick(SPEECH)
            ),
            8 => format!(
                "According to {}, “{}.”",
                r.pick(DOCUMENTS),
                r.pick(SPEECH).to_lowercase()
            ),
            9 if r.chance(25) => format!("\"{}.\"", r.pick(SPEECH)),
            10 => format!(
                "The {} scheme is the first of its kind in the region.",
                r.pick(TERMS)
            ),
            11 => r.pick(UNITLESS).to_owned(),
            12 => r.pick(NOT_FIGURES).to_owned(),
            13 => r.pick(KOREAN).to_owned(),
            14 if r.chance(30) => r.pick(DASHED).to_owned(),
            15 if r.chance(20) => format!(
                "The board called the plan “{} and moved on.",
                r.pick(SPEECH).to_lowercase()
            ),
            16 if self.markdown => format!(
                "Details are in the `budget.csv` file and at [the open data portal](https://example.org/data?id={}).",
                r.below(10_000)
            ),
            16 => "Details are at https://example.org/data and in budget.csv.".to_owned(),
            17 => format!(
                "Progress is published every quarter {}",
                r.pick(EMOJI)
            ),
            _ => format!(
                "The plan aims to {} and to reach {} {}.",
                r.pick(MEASURES),
                r.pick(COUNTED),
                r.pick(WHEN)
            ),
        }
    }

    /// Hard-wraps a paragraph at about 90 columns.
    fn wrapped(&mut self, paragraph: &str) {
        let mut width = 0;
        for word in paragraph.split(' ') {
            let len = word.chars().count();
            if width > 0 && width + 1 + len > 90 {
                self.out.push('\n');
                width = 0;
            } else if width > 0 {
                self.out.push(' ');
                width += 1;
            }
            self.out.push_str(word);
            width += len;
        }
        self.out.push('\n');
    }

    fn table(&mut self) {
        let rows = 3 + self.rng.below(5);
        if self.markdown {
            self.line("| Project | Budget (EUR m) | Staff (FTE) | Start |");
            self.line("|---|---:|---:|---:|");
            for _ in 0..rows {
                let (project, budget, staff, year) = self.row();
                self.line(&format!("| {project} | {budget} | {staff} | {year} |"));
            }
            self.line("");
        } else {
            self.line("Project\tBudget (EUR m)\tStaff (FTE)\tStart");
            for _ in 0..rows {
                let (project, budget, staff, year) = self.row();
                self.line(&format!("{project}\t{budget}\t{staff}\t{year}"));
            }
            self.line("");
        }
    }

    fn row(&mut self) -> (String, String, usize, usize) {
        let project = format!("{} phase {}", self.rng.pick(TOPICS), 1 + self.rng.below(4));
        let budget = format!("{}.{}", 1 + self.rng.below(90), self.rng.below(10));
        (
            project,
            budget,
            2 + self.rng.below(60),
            2025 + self.rng.below(6),
        )
    }

    fn list(&mut self) {
        for _ in 0..2 + self.rng.below(4) {
            let item = self.sentence();
            self.line(&format!("- {item}"));
        }
        self.line("");
    }

    fn block_quote(&mut self) {
        let speech = self.rng.pick(SPEECH);
        let speaker = self.rng.pick(SPEAKERS).trim_end_matches(',');
        if self.markdown {
            self.line(&format!("> {speech}."));
            self.line(">");
            self.line(&format!("> — {speaker}"));
        } else {
            self.line(&format!("{speaker} said: \"{speech}.\""));
        }
        self.line("");
    }

    fn code(&mut self) {
        let code = self.rng.pick(CODE);
        self.line("```text");
        self.line(code);
        self.line("```");
        self.line("");
    }

    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }
}
