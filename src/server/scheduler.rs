//! Analysis off the message loop, coalesced per document.
//!
//! Each open document has one worker, a thread of its own that sleeps until the document
//! changes. The worker snapshots the document's latest text, analyses it, and keeps the
//! result only if the document is still at that version and configuration; otherwise it
//! takes a new snapshot and goes again. One thread per document rather than a job on
//! tokio's blocking pool, whichever thread that is: the allocator gives each thread an
//! arena of its own, and an analysis freed in one arena is no use to the next analysis
//! running on another thread — on a 10 MiB draft resident memory grew by hundreds of
//! megabytes over a few dozen keystrokes. However fast the edits come, a document never has
//! more than one analysis running and never queues stale ones, and a result for an old
//! version is never published.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, OnceLock};

use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, MessageType, Uri};

use super::documents::{Caches, Changed};
use super::outbox::Outgoing;
use super::prepared::Answers;
use super::publish::{self, Converted};
use super::state::{Session, Shared, State};
use super::{to_proto, uri};
use crate::analysis::{Analysis, DocumentKind};
use crate::config::{ByteSize, Config};

/// The stack of a document's analysis thread: that of tokio's blocking pool, which the
/// hostile-draft tests (`tests/resources.rs`) run the analysis within.
const WORKER_STACK: usize = 2 << 20;

/// An analysis of one version of a document under one configuration.
pub(crate) struct Analyzed {
    pub version: i32,
    pub epoch: u64,
    /// Names this result for pull diagnostics (`resultId`).
    pub result_id: String,
    /// `None` when the analysis failed (an internal error, already logged).
    pub analysis: Option<Analysis>,
    /// The findings' protocol ranges and, when pushed, their notification.
    pub converted: Converted,
    /// The findings as protocol diagnostics, made when first asked for (a pull, a code
    /// action): pushing needs only `converted`.
    diagnostics: OnceLock<Vec<lsp::Diagnostic>>,
    /// Answers to requests about this analysis, made when first asked for.
    pub answers: Answers,
}

impl Analyzed {
    pub(crate) fn new(
        version: i32,
        epoch: u64,
        result_id: String,
        analysis: Option<Analysis>,
        converted: Converted,
    ) -> Self {
        Analyzed {
            version,
            epoch,
            result_id,
            analysis,
            converted,
            diagnostics: OnceLock::new(),
            answers: Answers::default(),
        }
    }

    /// The findings as protocol diagnostics, index for index with `analysis.diagnostics`.
    pub(crate) fn diagnostics(&self) -> &[lsp::Diagnostic] {
        self.diagnostics.get_or_init(|| match &self.analysis {
            Some(analysis) => {
                to_proto::diagnostics_at(&analysis.diagnostics, &self.converted.ranges)
            }
            None => Vec::new(),
        })
    }
}

struct Snapshot {
    uri: Uri,
    text: Rope,
    /// Where `text` differs from the text of `caches.analyzed`.
    changed: Option<Changed>,
    version: i32,
    kind: DocumentKind,
    config: Arc<Config>,
    epoch: u64,
    /// The document's caches, lent to the worker and handed back with the result.
    caches: Caches,
}

impl Shared {
    /// Makes sure the document's current version will be analysed. Call with the state
    /// locked, right after changing the document.
    pub(crate) fn schedule(self: &Arc<Self>, state: &mut State, uri: &Uri) {
        let Some(open) = state.docs.get_mut(uri) else {
            return;
        };
        if open.worker {
            // The running worker will see the new version when it finishes.
            return;
        }
        open.worker = true;
        if open.wake.as_ref().is_some_and(|wake| wake.send(()).is_ok()) {
            return;
        }
        // The document's first analysis: its thread starts, already woken.
        let (wake, woken) = std_mpsc::channel();
        let _ = wake.send(());
        open.wake = Some(wake);
        // Weak: the state holds `wake`, so a strong reference would keep both alive, and
        // the thread waiting, after the server has stopped.
        let (shared, uri, instance) = (Arc::downgrade(self), uri.clone(), open.instance);
        let thread = std::thread::Builder::new()
            .name("policy-lsp analysis".to_owned())
            .stack_size(WORKER_STACK)
            .spawn(move || {
                // Ends when the document closes or the server stops, either of which
                // drops `wake`.
                while woken.recv().is_ok() {
                    if let Some(shared) = shared.upgrade() {
                        shared.work(&uri, instance);
                    }
                }
            });
        if let Err(error) = thread {
            open.wake = None;
            open.worker = false;
            self.outbox.log(
                MessageType::ERROR,
                format!("cannot start a thread to analyse the document: {error}"),
            );
        }
    }

    /// Re-analyses every open document (after a configuration change).
    pub(crate) fn schedule_all(self: &Arc<Self>, state: &mut State) {
        let uris: Vec<Uri> = state.docs.keys().cloned().collect();
        for uri in &uris {
            self.schedule(state, uri);
        }
    }

    /// Analyses the document until its current version is analysed (or it closes).
    fn work(&self, uri: &Uri, instance: u64) {
        loop {
            let Some(snapshot) = self.snapshot(uri, instance) else {
                return;
            };
            let session = self.session();
            let result_id = self.next_id().to_string();
            let (version, epoch) = (snapshot.version, snapshot.epoch);
            let job = panic::catch_unwind(AssertUnwindSafe(|| run(snapshot, session, result_id)));
            let (analyzed, caches) = match job {
                Ok((analyzed, caches)) => (analyzed, caches),
                Err(panic) => {
                    let reason = panic_message(panic.as_ref());
                    self.outbox.log(
                        MessageType::ERROR,
                        format!(
                            "analysis of {} (version {version}) failed: {reason}",
                            uri.as_str()
                        ),
                    );
                    let failed = Analyzed::new(
                        version,
                        epoch,
                        self.next_id().to_string(),
                        None,
                        Converted::default(),
                    );
                    // The caches went down with the analysis: start afresh.
                    (Arc::new(failed), Caches::default())
                }
            };
            let (done, replaced) = self.finish(uri, instance, analyzed, caches);
            // Usually the last reference to the previous analysis: freed (a million
            // instructions on 1 MiB) after its successor is published, outside the lock.
            drop(replaced);
            if done {
                return;
            }
        }
    }

    /// The document's current text, or `None` when there is nothing (more) to do — the
    /// document closed, or its current version is already analysed — which also ends the
    /// worker.
    fn snapshot(&self, uri: &Uri, instance: u64) -> Option<Snapshot> {
        let mut state = self.lock();
        let epoch = state.epoch;
        let config = state.workspace.config_for(uri::to_path(uri).as_deref());
        let open = state.docs.get_mut(uri).filter(|o| o.instance == instance)?;
        let current = open
            .analyzed
            .as_ref()
            .is_some_and(|a| a.version == open.doc.version && a.epoch == epoch);
        if current {
            open.worker = false;
            return None;
        }
        let (size, limit) = (open.doc.rope.len_bytes() as u64, config.max_file_size());
        if size > limit {
            // Guarantee 4: declined, not analysed. Its result is "no findings", kept like
            // any other; the user is told once (not at every keystroke), the log every time.
            let told = open.analyzed.as_ref().is_some_and(|a| a.analysis.is_none());
            let message = format!(
                "{} is too large to analyse ({}, more than the limit of {}); it gets no \
                 findings. Raise `files.max-size` in policy-lsp.toml to analyse it.",
                uri.as_str(),
                ByteSize(size),
                ByteSize(limit)
            );
            if told {
                self.outbox.log(MessageType::WARNING, message);
            } else {
                self.outbox.show(MessageType::WARNING, message);
            }
            if !self.session().pull {
                self.outbox.send(Outgoing::Diagnostics {
                    uri: uri.clone(),
                    diagnostics: Vec::new(),
                    version: Some(open.doc.version),
                });
            }
            open.analyzed = Some(Arc::new(Analyzed::new(
                open.doc.version,
                epoch,
                self.next_id().to_string(),
                None,
                Converted::default(),
            )));
            open.worker = false;
            open.changed.send_replace(());
            return None;
        }
        let (text, changed) = open.doc.take_text();
        Some(Snapshot {
            uri: uri.clone(),
            text,
            changed,
            version: open.doc.version,
            kind: open.doc.kind,
            config,
            epoch,
            caches: open.caches.take().unwrap_or_default(),
        })
    }

    /// Keeps `analyzed` if it is still current and publishes it (push mode), under the
    /// lock, so nothing newer can slip in between; gives the document its caches back.
    /// Returns whether the worker is done, and the analysis `analyzed` replaced.
    fn finish(
        &self,
        uri: &Uri,
        instance: u64,
        analyzed: Arc<Analyzed>,
        caches: Caches,
    ) -> (bool, Option<Arc<Analyzed>>) {
        let mut state = self.lock();
        let epoch = state.epoch;
        let Some(open) = state.docs.get_mut(uri).filter(|o| o.instance == instance) else {
            return (true, None);
        };
        open.caches = Some(caches);
        if analyzed.version != open.doc.version || analyzed.epoch != epoch {
            return (false, None);
        }
        if let Some(notification) = &analyzed.converted.notification {
            self.outbox
                .send(Outgoing::Serialised(notification.body.clone()));
        }
        let replaced = open.analyzed.replace(analyzed);
        open.worker = false;
        open.changed.send_replace(());
        (true, replaced)
    }

    /// The analysis of the document's current version, waiting for it if need be; `None`
    /// for a document that is not open (or closes meanwhile).
    pub(crate) async fn current_analysis(self: &Arc<Self>, uri: &Uri) -> Option<Arc<Analyzed>> {
        loop {
            let mut changed = {
                let mut state = self.lock();
                let epoch = state.epoch;
                let open = state.docs.get(uri)?;
                if let Some(analyzed) = &open.analyzed {
                    if analyzed.version == open.doc.version && analyzed.epoch == epoch {
                        return Some(analyzed.clone());
                    }
                }
                // Subscribing under the lock: a result stored after this wakes us.
                let changed = open.changed.subscribe();
                self.schedule(&mut state, uri);
                changed
            };
            // An error means the document closed; the next round returns `None`.
            let _ = changed.changed().await;
        }
    }
}

/// The analysis itself, on the blocking pool: [`crate::analysis::AnalysisCache::reanalyze`], which equals
/// `analyze` and costs what the edit changed, and the findings' conversion, which costs
/// what they changed.
fn run(snapshot: Snapshot, session: Session, result_id: String) -> (Arc<Analyzed>, Caches) {
    let Snapshot {
        uri,
        text,
        changed,
        version,
        kind,
        config,
        epoch,
        mut caches,
    } = snapshot;
    caches.copy_text(&text, changed);
    let analysis = caches.analysis.reanalyze(&caches.text, kind, &config);
    let target = publish::Target {
        uri: &uri,
        version,
        push: !session.pull,
    };
    let previous = caches.analyzed.as_deref();
    let converted = publish::convert(previous, &analysis, changed, session.encoding, target);
    let analyzed = Arc::new(Analyzed::new(
        version,
        epoch,
        result_id,
        Some(analysis),
        converted,
    ));
    caches.analyzed = Some(analyzed.clone());
    (analyzed, caches)
}

/// What a panic said, for the log.
fn panic_message(panic: &(dyn Any + Send)) -> &str {
    if let Some(message) = panic.downcast_ref::<&str>() {
        message
    } else if let Some(message) = panic.downcast_ref::<String>() {
        message
    } else {
        "a panic"
    }
}
