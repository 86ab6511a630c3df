//! Sentence boundaries inside blocks. Filled in by the quotation work.

use super::document::Document;

pub(crate) fn split_all(doc: &mut Document) {
    for block in &mut doc.blocks {
        block.sentences = vec![block.range.clone()];
    }
}
