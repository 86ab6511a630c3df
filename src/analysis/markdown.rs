//! Blocks and the prose mask of a Markdown draft, from pulldown-cmark's offset iterator.

use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::document::{Block, BlockKind, BlockQuote, Skeleton};
use super::mask::ProseMask;

/// Containers that decide what kind of block their text forms.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    Item,
    BlockQuote(usize),
    /// Code blocks, images, autolinks, metadata: text inside is never prose.
    Opaque,
    Other,
}

/// The block being collected: its kind and the span of prose seen so far.
struct OpenLeaf {
    kind: BlockKind,
    span: Option<Range<usize>>,
}

struct Builder<'a> {
    text: &'a str,
    mask: ProseMask,
    blocks: Vec<Block>,
    block_quotes: Vec<BlockQuote>,
    containers: Vec<Container>,
    leaf: Option<OpenLeaf>,
    /// Header cell ranges of the table being read, by column.
    table_header: Vec<Option<Range<usize>>>,
    in_table_head: bool,
    column: usize,
}

/// The Markdown extensions a draft is read with.
pub(crate) const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);

pub(crate) fn skeleton(text: &str) -> Skeleton {
    skeleton_of_piece(text, &Definitions::default()).0
}

/// Link reference and footnote definitions (`[label]: destination`, `[^label]: …`), by
/// label, as pulldown-cmark reads them: a piece of a draft read alone resolves its
/// references to definitions made elsewhere in the draft through these, exactly as the
/// whole draft would.
#[derive(Debug, Default)]
pub(crate) struct Definitions {
    /// One definition per label, in a small Markdown text of its own, so that looking a
    /// reference up goes through pulldown-cmark's own label matching.
    source: String,
    /// Footnote definitions, one per label, appended after a blank line to the piece being
    /// read: pulldown-cmark resolves a footnote reference only to a definition in the text
    /// it parses, and offers no callback for them.
    footnotes: String,
    footnote_count: usize,
}

impl Definitions {
    pub(crate) fn new(labels: &[String], footnotes: &[String]) -> Self {
        Definitions {
            source: labels.iter().map(|l| format!("[{l}]: x\n")).collect(),
            footnotes: footnotes.iter().map(|l| format!("[^{l}]: x\n\n")).collect(),
            footnote_count: footnotes.len(),
        }
    }
}

/// What a piece of a draft says about links and footnotes, for reading it alongside the
/// others.
#[derive(Debug, Default)]
pub(crate) struct LinkFacts {
    /// The labels it defines, sorted.
    pub labels: Vec<String>,
    /// The footnote labels it defines, sorted.
    pub footnotes: Vec<String>,
    /// The footnote definitions made elsewhere did not all read as definitions after it
    /// (it ends inside an unclosed fence or HTML block, which took them in): it cannot be
    /// read alone.
    pub swallowed: bool,
    /// Its reference links and images, resolved or not.
    pub references: usize,
    /// The longest destination plus title among its definitions.
    pub longest_definition: usize,
}

/// [`skeleton`] of a piece of a draft, with the references it does not define resolved
/// against `elsewhere`; and what it says about links.
pub(crate) fn skeleton_of_piece(text: &str, elsewhere: &Definitions) -> (Skeleton, LinkFacts) {
    let options = OPTIONS;
    let mut builder = Builder {
        text,
        mask: ProseMask::blank(text),
        blocks: Vec::new(),
        block_quotes: Vec::new(),
        containers: Vec::new(),
        leaf: None,
        table_header: Vec::new(),
        in_table_head: false,
        column: 0,
    };
    let outside = Parser::new_ext(&elsewhere.source, options);
    let outside = outside.reference_definitions();
    // The destination is never read; an empty one spends none of the parser's budget for
    // expanding references (see `LinkFacts::references`).
    let resolve = |link: BrokenLink<'_>| {
        outside
            .get(&link.reference)
            .map(|_| (CowStr::from(""), CowStr::from("")))
    };
    let mut references = 0;
    let extended;
    let source = if elsewhere.footnotes.is_empty() {
        text
    } else {
        extended = format!("{text}\n\n{}", elsewhere.footnotes);
        &extended
    };
    let parser = Parser::new_with_broken_link_callback(source, options, Some(resolve));
    let mut labels: Vec<String> = parser
        .reference_definitions()
        .iter()
        .map(|(label, _)| label.to_owned())
        .collect();
    labels.sort_unstable();
    let longest_definition = parser
        .reference_definitions()
        .iter()
        .map(|(_, d)| d.dest.len() + d.title.as_ref().map_or(0, |t| t.len()))
        .max()
        .unwrap_or(0);
    let (mut footnotes, mut appended) = (Vec::new(), 0);
    for (event, range) in parser.into_offset_iter() {
        if range.start >= text.len() {
            // The definitions made elsewhere, and the blank line before them.
            appended += usize::from(matches!(event, Event::Start(Tag::FootnoteDefinition(_))));
            continue;
        }
        match &event {
            Event::Start(Tag::Link { link_type, .. } | Tag::Image { link_type, .. }) => {
                references += usize::from(is_reference(*link_type));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => footnotes.push(label.to_string()),
            _ => {}
        }
        // A block ending with the text's end takes in the line break before the definitions.
        builder.event(event, range.start..range.end.min(text.len()));
    }
    footnotes.sort_unstable();
    let swallowed = appended != elsewhere.footnote_count;
    builder.flush();
    let mut mask = builder.mask;
    mask.blank_urls(text);
    let skeleton = Skeleton {
        prose: mask.into_string(),
        blocks: builder.blocks,
        block_quotes: builder.block_quotes,
    };
    let links = LinkFacts {
        labels,
        footnotes,
        swallowed,
        references,
        longest_definition,
    };
    (skeleton, links)
}

fn is_reference(link_type: LinkType) -> bool {
    matches!(
        link_type,
        LinkType::Reference
            | LinkType::ReferenceUnknown
            | LinkType::Collapsed
            | LinkType::CollapsedUnknown
            | LinkType::Shortcut
            | LinkType::ShortcutUnknown
    )
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(_) => self.prose(range),
            // Inline code, HTML, footnote markers, math and rules are never prose.
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Paragraph => {
                self.flush();
                let kind = if self.innermost_item() {
                    BlockKind::ListItem
                } else {
                    BlockKind::Paragraph
                };
                self.open(kind);
            }
            Tag::Heading { level, .. } => {
                self.flush();
                self.open(BlockKind::Heading { level: level as u8 });
            }
            Tag::Item => {
                self.flush();
                self.containers.push(Container::Item);
                self.open(BlockKind::ListItem);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.block_quotes.push(BlockQuote {
                    range: range.clone(),
                    blocks: self.blocks.len()..self.blocks.len(),
                });
                self.containers
                    .push(Container::BlockQuote(self.block_quotes.len() - 1));
            }
            Tag::Table(_) => {
                self.flush();
                self.table_header.clear();
                self.containers.push(Container::Other);
            }
            Tag::TableHead => {
                self.in_table_head = true;
                self.column = 0;
            }
            Tag::TableRow => self.column = 0,
            Tag::TableCell => {
                self.flush();
                let header = if self.in_table_head {
                    None
                } else {
                    self.table_header.get(self.column).cloned().flatten()
                };
                self.open(BlockKind::TableCell {
                    header,
                    is_header: self.in_table_head,
                });
            }
            Tag::CodeBlock(_) | Tag::Image { .. } | Tag::MetadataBlock(_) | Tag::HtmlBlock => {
                self.flush();
                self.containers.push(Container::Opaque);
            }
            Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            } => self.containers.push(Container::Opaque),
            Tag::List(_) | Tag::FootnoteDefinition(_) | Tag::DefinitionList => {
                self.flush();
                self.containers.push(Container::Other);
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, _range: Range<usize>) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => {
                self.flush();
            }
            TagEnd::TableCell => {
                let cell = self.flush();
                if self.in_table_head {
                    self.table_header.push(cell);
                }
                self.column += 1;
            }
            TagEnd::TableHead => self.in_table_head = false,
            TagEnd::Item => {
                self.flush();
                self.containers.pop();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                if let Some(Container::BlockQuote(index)) = self.containers.pop() {
                    self.block_quotes[index].blocks.end = self.blocks.len();
                }
            }
            TagEnd::CodeBlock
            | TagEnd::Image
            | TagEnd::MetadataBlock(_)
            | TagEnd::HtmlBlock
            | TagEnd::Table
            | TagEnd::List(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList => {
                self.flush();
                self.containers.pop();
            }
            TagEnd::Link if self.containers.last() == Some(&Container::Opaque) => {
                self.containers.pop();
            }
            _ => {}
        }
    }

    fn prose(&mut self, range: Range<usize>) {
        if self.containers.contains(&Container::Opaque) {
            return;
        }
        self.mask.reveal(self.text, range.clone());
        if self.leaf.is_none() {
            let kind = if self.innermost_item() {
                BlockKind::ListItem
            } else {
                BlockKind::Paragraph
            };
            self.open(kind);
        }
        if let Some(leaf) = &mut self.leaf {
            leaf.span = Some(match leaf.span.take() {
                Some(span) => span.start.min(range.start)..span.end.max(range.end),
                None => range,
            });
        }
    }

    fn innermost_item(&self) -> bool {
        self.containers
            .iter()
            .rev()
            .find(|c| !matches!(c, Container::Other))
            .is_some_and(|c| *c == Container::Item)
    }

    fn open(&mut self, kind: BlockKind) {
        self.leaf = Some(OpenLeaf { kind, span: None });
    }

    /// Closes the open block, keeping it if it holds prose; returns its range.
    fn flush(&mut self) -> Option<Range<usize>> {
        let leaf = self.leaf.take()?;
        let span = trim(self.text, leaf.span?);
        if span.is_empty() {
            return None;
        }
        let mut block = Block::new(leaf.kind, span.clone());
        block.block_quote = self.containers.iter().rev().find_map(|c| match c {
            Container::BlockQuote(index) => Some(*index),
            _ => None,
        });
        self.blocks.push(block);
        Some(span)
    }
}

/// Shrinks a range to exclude leading and trailing whitespace.
fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.end - (slice.len() - slice.trim_end().len());
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<(String, &str)> {
        skeleton(text)
            .blocks
            .iter()
            .map(|b| (format!("{:?}", b.kind), &text[b.range.clone()]))
            .collect()
    }

    #[test]
    fn finds_headings_paragraphs_items_and_cells() {
        let text = "# Title\n\nSome *prose* here.\n\n- one\n- two\n\n| Year | Budget (KRW bn) |\n|---|---|\n| 2024 | 12 |\n";
        let got = blocks(text);
        assert_eq!(got[0], ("Heading { level: 1 }".into(), "Title"));
        assert_eq!(got[1].1, "Some *prose* here.");
        assert_eq!(got[2], ("ListItem".into(), "one"));
        assert_eq!(got[3], ("ListItem".into(), "two"));
        let cell = skeleton(text)
            .blocks
            .into_iter()
            .find(|b| &text[b.range.clone()] == "12")
            .unwrap();
        match cell.kind {
            BlockKind::TableCell {
                header: Some(h),
                is_header: false,
            } => assert_eq!(&text[h], "Budget (KRW bn)"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn code_html_and_link_targets_are_not_prose() {
        let text =
            "Call `f(1)` or see [the plan](http://x.org/a?b=1) <!-- c?d -->\n\n```\ncode 12\n```\n";
        let sk = skeleton(text);
        assert!(!sk.prose.contains("f(1)"));
        assert!(!sk.prose.contains("x.org"));
        assert!(!sk.prose.contains("c?d"));
        assert!(!sk.prose.contains("code 12"));
        assert!(sk.prose.contains("the plan"));
        assert_eq!(sk.prose.len(), text.len());
        assert_eq!(sk.blocks.len(), 1);
    }

    #[test]
    fn block_quotes_group_their_blocks() {
        let text = "Intro.\n\n> Quoted words here.\n> — A Person\n\nAfter.\n";
        let sk = skeleton(text);
        assert_eq!(sk.block_quotes.len(), 1);
        let quote = &sk.block_quotes[0];
        assert_eq!(quote.blocks, 1..2);
        assert_eq!(sk.blocks[1].block_quote, Some(0));
        assert_eq!(
            &text[sk.blocks[1].range.clone()],
            "Quoted words here.\n> — A Person"
        );
    }
}
