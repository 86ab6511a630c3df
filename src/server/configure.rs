//! Configuration at run time: client settings as they arrive, the configuration and
//! glossary files as they change, and the client's file watchers kept on those files.
//!
//! Whatever changes the configuration goes through [`Configurator::apply`], under the state
//! lock: the problems are shown to the user (`window/showMessage`, naming the file and line
//! where there is one), and if any folder's configuration changed, the epoch moves on and
//! every open draft is analysed again. Requests to the client (`workspace/configuration`,
//! `client/registerCapability`) run in tasks of their own, never awaited by a notification
//! handler (STYLE.md, known traps).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::watch;
use tower_lsp_server::ls_types::{
    ConfigurationItem, DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern,
    MessageType, Registration, Unregistration,
};
use tower_lsp_server::Client;

use super::settings;
use super::state::Shared;
use super::workspace::Workspace;
use crate::config::Config;

/// The id of our one file-watcher registration.
const WATCH_ID: &str = "policy-lsp/watch-config";

#[derive(Clone)]
pub(crate) struct Configurator {
    client: Client,
    shared: Arc<Shared>,
    /// The watch patterns the client should have registered; a task follows it.
    patterns: watch::Sender<Option<Vec<String>>>,
    /// Counts settings changes, so that an answer to `workspace/configuration` asked
    /// before a newer notification never overrides it.
    generation: Arc<AtomicU64>,
}

impl Configurator {
    /// Must run inside a tokio runtime (it starts the task that registers watchers).
    pub(crate) fn new(client: Client, shared: Arc<Shared>) -> Self {
        let (patterns, rx) = watch::channel(None);
        tokio::spawn(follow_patterns(client.clone(), shared.clone(), rx));
        Configurator {
            client,
            shared,
            patterns,
            generation: Arc::default(),
        }
    }

    /// `initializationOptions`: settings before anything is open; problems wait for
    /// `initialized`, when the client can be told.
    pub(crate) fn initial_settings(&self, options: Option<&Value>) {
        let Some(incoming) = options.and_then(settings::from_client) else {
            return;
        };
        self.generation.fetch_add(1, Ordering::SeqCst);
        let mut state = self.shared.lock();
        match incoming {
            Ok(config) => {
                let (_, errors) = state.workspace.set_settings(config);
                state.pending_errors.extend(errors);
            }
            Err(message) => state.pending_errors.push(message),
        }
    }

    /// After `initialized`: watch the configuration's files and ask for settings, as far
    /// as the client can do either.
    pub(crate) fn start(&self) {
        self.update_watchers();
        self.pull_settings();
    }

    /// `workspace/didChangeConfiguration`. Settings in the notification are taken as they
    /// are; a notification without ours (`null`, as clients that expect a pull send it) makes
    /// the server ask with `workspace/configuration`.
    pub(crate) fn settings_changed(&self, value: &Value) {
        match settings::from_client(value) {
            Some(incoming) => {
                self.generation.fetch_add(1, Ordering::SeqCst);
                self.take_settings(incoming);
            }
            None => self.pull_settings(),
        }
    }

    /// Files changed on disk (`workspace/didChangeWatchedFiles`, or a save): reloads when
    /// one of them is a configuration or glossary file — or, for a client that cannot
    /// watch files, when any of those changed on disk since they were read.
    pub(crate) fn files_changed(&self, paths: &[std::path::PathBuf]) {
        let unwatched = !self.shared.session().watch;
        let relevant = {
            let state = self.shared.lock();
            paths.iter().any(|path| is_relevant(&state.workspace, path))
                || (unwatched && state.workspace.is_stale())
        };
        if relevant {
            self.apply(Workspace::reload);
        }
    }

    fn take_settings(&self, incoming: Result<Config, String>) {
        match incoming {
            Ok(config) => self.apply(move |ws| ws.set_settings(config)),
            Err(message) => self.shared.outbox.show(
                MessageType::ERROR,
                format!("{message} (keeping the previous settings)"),
            ),
        }
    }

    /// Asks the client for the `policyLsp` section, in a task of its own.
    fn pull_settings(&self) {
        if !self.shared.session().configuration {
            return;
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let this = self.clone();
        tokio::spawn(async move {
            let items = vec![ConfigurationItem {
                scope_uri: None,
                section: Some(settings::SECTION.to_owned()),
            }];
            let answer = match this.client.configuration(items).await {
                Ok(answer) => answer,
                Err(e) => {
                    this.shared.outbox.log(
                        MessageType::WARNING,
                        format!("workspace/configuration failed: {e}"),
                    );
                    return;
                }
            };
            let Some(incoming) = answer.first().and_then(settings::from_section) else {
                return;
            };
            // Only if no settings arrived meanwhile.
            let next = generation + 1;
            if this
                .generation
                .compare_exchange(generation, next, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                this.take_settings(incoming);
            }
        });
    }

    /// Applies a change to the workspace configuration: shows its problems, and if
    /// anything changed, analyses every open draft again and follows the files to watch.
    pub(crate) fn apply(&self, change: impl FnOnce(&mut Workspace) -> (bool, Vec<String>)) {
        let session = self.shared.session();
        let mut state = self.shared.lock();
        let (changed, errors) = change(&mut state.workspace);
        for error in errors {
            self.shared.outbox.show(MessageType::ERROR, error);
        }
        if !changed {
            return;
        }
        state.epoch += 1;
        self.shared.outbox.log(
            MessageType::INFO,
            "configuration changed: re-checking open drafts",
        );
        self.shared.schedule_all(&mut state);
        drop(state);
        if session.pull && session.refresh {
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client.workspace_diagnostic_refresh().await;
            });
        }
        self.update_watchers();
    }

    /// Points the watcher task at the workspace's current files.
    fn update_watchers(&self) {
        if !self.shared.session().watch {
            return;
        }
        let wanted = self.shared.lock().workspace.watch_patterns();
        self.patterns.send_if_modified(|current| {
            let differs = current.as_ref() != Some(&wanted);
            if differs {
                *current = Some(wanted);
            }
            differs
        });
    }
}

fn is_relevant(workspace: &Workspace, path: &Path) -> bool {
    workspace.is_config_file(path) || workspace.is_watched(path)
}

/// Keeps one registration of `workspace/didChangeWatchedFiles` equal to the latest
/// patterns: one task, so registrations never race each other.
async fn follow_patterns(
    client: Client,
    shared: Arc<Shared>,
    mut rx: watch::Receiver<Option<Vec<String>>>,
) {
    let mut registered = false;
    while rx.changed().await.is_ok() {
        let Some(patterns) = rx.borrow_and_update().clone() else {
            continue;
        };
        if registered {
            let gone = Unregistration {
                id: WATCH_ID.to_owned(),
                method: "workspace/didChangeWatchedFiles".to_owned(),
            };
            let _ = client.unregister_capability(vec![gone]).await;
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: patterns
                .iter()
                .map(|p| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(p.clone()),
                    kind: None,
                })
                .collect(),
        };
        let registration = Registration {
            id: WATCH_ID.to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: serde_json::to_value(options).ok(),
        };
        match client.register_capability(vec![registration]).await {
            Ok(()) => registered = true,
            Err(e) => {
                registered = false;
                shared.outbox.log(
                    MessageType::WARNING,
                    format!("could not watch the configuration files: {e}"),
                );
            }
        }
    }
}
