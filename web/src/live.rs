//! Live evaluation: the decision follows the text as the person types.
//! Validation ([`crate::findings`]) runs in the same step, so it follows the
//! same rules; when the service catalogue arrives the view is recomputed
//! once with it, and again when the checks module arrives
//! ([`crate::extended_checks`]).
//!
//! Evaluating a scenario takes microseconds, so the view is recomputed in
//! the same render as the keystroke (memoized on the workspace) and the
//! decision is never behind the text. Should one evaluation become slow
//! (a huge pasted policy, a slow device), later ones are debounced instead:
//! they run [`DEBOUNCE_MS`] after the last change, so typing never waits
//! for the engine; the previous view stays on screen meanwhile. A slow
//! evaluation of a changed text runs in two steps: the decision and the
//! findings that need no catalogue first, then (after another
//! [`DEBOUNCE_MS`]) the findings of AWS's service catalogue and of the
//! checks module, which take most of the time on a large policy.
//!
//! Other work that is linear in the text but need not follow each
//! keystroke waits for a pause the same way ([`use_deferred`]).

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use iam_engine::Catalog;

use crate::extended_checks::ExtendedChecks;
use crate::state::EvalView;
use crate::workspace::Workspace;

/// The pause after the last change before a slow evaluation runs.
pub const DEBOUNCE_MS: u32 = 80;

/// An evaluation taking at least this long (milliseconds) switches to
/// debounced updates.
pub const SLOW_MS: f64 = 12.0;

/// What a view was computed from: the workspace, and the catalogue and the
/// checks module (if loaded).
#[derive(Clone)]
struct Inputs {
    workspace: Workspace,
    catalog: Option<Rc<Catalog>>,
    checks: Option<Rc<ExtendedChecks>>,
}

impl Inputs {
    /// Whether these are `workspace`, `catalog` and `checks` (the same
    /// objects).
    fn are(
        &self,
        workspace: &Workspace,
        catalog: Option<&Rc<Catalog>>,
        checks: Option<&Rc<ExtendedChecks>>,
    ) -> bool {
        let same_catalog = self.catalog.as_ref().map(Rc::as_ptr) == catalog.map(Rc::as_ptr);
        let same_checks = self.checks.as_ref().map(Rc::as_ptr) == checks.map(Rc::as_ptr);
        same_catalog && same_checks && self.workspace == *workspace
    }
}

struct Live {
    shown: Option<(Inputs, Rc<EvalView>)>,
    slow: bool,
    /// The debounced evaluation waiting to run, and its inputs.
    timer: Option<(Inputs, Timeout)>,
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Computes the view and whether that was slow.
fn timed(inputs: &Inputs) -> (Rc<EvalView>, bool) {
    let start = now();
    let view = Rc::new(EvalView::compute(
        &inputs.workspace,
        inputs.catalog.as_deref(),
        inputs.checks.as_deref(),
    ));
    (view, now() - start >= SLOW_MS)
}

/// The evaluation view of `workspace` (validated with `catalog` and
/// `checks` when they are loaded), kept live as described in the module
/// documentation.
#[hook]
pub fn use_live_view(
    workspace: &Workspace,
    catalog: Option<Rc<Catalog>>,
    checks: Option<Rc<ExtendedChecks>>,
) -> Rc<EvalView> {
    let live = use_mut_ref(|| Live {
        shown: None,
        slow: false,
        timer: None,
    });
    let rerender = use_force_update();
    let mut l = live.borrow_mut();
    if let Some((shown, view)) = &l.shown {
        if shown.are(workspace, catalog.as_ref(), checks.as_ref()) {
            return view.clone();
        }
    }
    let stale = l.shown.as_ref().map(|(_, v)| v.clone());
    match stale {
        Some(stale) if l.slow => {
            if l.timer.as_ref().is_some_and(|(waiting, _)| {
                waiting.are(workspace, catalog.as_ref(), checks.as_ref())
            }) {
                return stale;
            }
            let inputs = Inputs {
                workspace: workspace.clone(),
                catalog,
                checks,
            };
            let target = inputs.clone();
            let live2 = live.clone();
            let timeout = Timeout::new(DEBOUNCE_MS, move || {
                // A new text is decided first without the catalogue's
                // findings (most of a slow evaluation's time is checking
                // the policy against the catalogue), so the decision
                // follows sooner; the render that shows it finds the view
                // stale for the catalogue and schedules the full one.
                let staged = (target.catalog.is_some() || target.checks.is_some())
                    && !live2
                        .borrow()
                        .shown
                        .as_ref()
                        .is_some_and(|(shown, _)| shown.workspace == target.workspace);
                let (target, also_slow) = if staged {
                    let first = Inputs {
                        workspace: target.workspace.clone(),
                        catalog: None,
                        checks: None,
                    };
                    (first, true)
                } else {
                    (target, false)
                };
                let (view, slow) = timed(&target);
                let mut l = live2.borrow_mut();
                l.shown = Some((target, view));
                l.slow = slow || also_slow;
                l.timer = None;
                drop(l);
                rerender.force_update();
            });
            l.timer = Some((inputs, timeout));
            stale
        }
        _ => {
            let inputs = Inputs {
                workspace: workspace.clone(),
                catalog,
                checks,
            };
            let (view, slow) = timed(&inputs);
            l.shown = Some((inputs, view.clone()));
            l.slow = slow;
            l.timer = None;
            view
        }
    }
}

/// Inputs of at least this many bytes make [`use_deferred`] wait for a
/// pause in typing.
pub const DEFER_FROM_BYTES: usize = 64 * 1024;

/// What [`use_deferred`] keeps between renders.
struct Deferred<I, O> {
    shown: Option<(I, Rc<O>)>,
    /// The computation waiting for a pause, and its input.
    timer: Option<(I, Timeout)>,
}

/// `compute(&input)`, kept until `input` changes. Work that is linear in
/// the text but need not follow every keystroke (the Format check, the
/// context keys the policies mention) runs at once for a small input
/// (under `size` < [`DEFER_FROM_BYTES`]) and otherwise [`DEBOUNCE_MS`]
/// after the last change, the previous result standing meanwhile, so a
/// keystroke in a 1 MB policy never waits for it.
#[hook]
pub fn use_deferred<I, O>(input: I, size: usize, compute: fn(&I) -> O) -> Rc<O>
where
    I: PartialEq + Clone + 'static,
    O: 'static,
{
    let state = use_mut_ref(|| Deferred::<I, O> {
        shown: None,
        timer: None,
    });
    let rerender = use_force_update();
    let mut s = state.borrow_mut();
    let stale = match &s.shown {
        Some((shown, output)) if *shown == input => return output.clone(),
        Some((_, output)) => Some(output.clone()),
        None => None,
    };
    match stale {
        Some(stale) if size >= DEFER_FROM_BYTES => {
            if s.timer
                .as_ref()
                .is_some_and(|(waiting, _)| *waiting == input)
            {
                return stale;
            }
            let state2 = state.clone();
            let target = input.clone();
            // A newer change replaces (and so cancels) the waiting one.
            let timeout = Timeout::new(DEBOUNCE_MS, move || {
                let output = Rc::new(compute(&target));
                let mut s = state2.borrow_mut();
                s.shown = Some((target, output));
                s.timer = None;
                drop(s);
                rerender.force_update();
            });
            s.timer = Some((input, timeout));
            stale
        }
        _ => {
            let output = Rc::new(compute(&input));
            s.shown = Some((input, output.clone()));
            s.timer = None;
            output
        }
    }
}
