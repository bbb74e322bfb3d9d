//! Layout of the evaluation-flow diagram: AWS's stages top to bottom, then
//! the decision, with the path this request took. Pure geometry and labels
//! (no DOM), so it is unit-tested natively; the component in
//! `components/explanation/diagram.rs` only draws what this returns.
//!
//! Coordinates are SVG user units. The diagram is a single column, so it
//! reads the same at 375 px and on a wide screen: every stage is a box, the
//! spine joins the boxes, and a request decided early (an explicit deny, a
//! missing allow where one is required) leaves the spine through an exit
//! lane on the right that runs down to the decision.

use iam_engine::explain::{Stage, StageOutcome, Step};
use iam_engine::Decision;

/// Width of the drawing.
pub const WIDTH: i32 = 290;
/// Left edge of the boxes.
pub const NODE_X: i32 = 8;
/// Width of a box.
pub const NODE_W: i32 = 240;
/// Height of a box.
pub const NODE_H: i32 = 40;
/// Vertical distance between two boxes.
pub const GAP: i32 = 14;
/// Top margin.
pub const TOP: i32 = 6;
/// The x of the exit lane.
pub const EXIT_X: i32 = 270;

/// How a stage's box is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeState {
    /// The stage decided the request.
    Decisive,
    /// The stage was evaluated and let the request go on.
    Passed,
    /// No policy of this type applies: the stage was skipped.
    Skipped,
    /// An earlier stage already decided.
    NotReached,
    /// Not yet revealed by the step-by-step walk.
    Hidden,
}

impl NodeState {
    /// The CSS modifier (`flow__node--decisive`, …).
    pub fn class(self) -> &'static str {
        match self {
            NodeState::Decisive => "decisive",
            NodeState::Passed => "passed",
            NodeState::Skipped => "skipped",
            NodeState::NotReached => "not-reached",
            NodeState::Hidden => "hidden",
        }
    }
}

/// One stage's box.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowNode {
    /// The stage.
    pub stage: Stage,
    /// Its index in the flow (0 = deny evaluation).
    pub index: usize,
    /// The short title drawn in the box.
    pub title: &'static str,
    /// What the stage found, in a few words (empty when hidden).
    pub outcome: &'static str,
    /// A mark for the outcome: `✓`, `✗`, `–` or `·` (empty when hidden).
    pub mark: &'static str,
    /// How it is drawn.
    pub state: NodeState,
    /// Whether the step-by-step walk is at this stage.
    pub current: bool,
    /// Box position and size.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub w: i32,
    /// Height.
    pub h: i32,
}

/// A connector between two boxes (a polyline).
#[derive(Debug, Clone, PartialEq)]
pub struct FlowEdge {
    /// The points, in drawing order.
    pub points: Vec<(i32, i32)>,
    /// Whether the request travelled along it.
    pub on_path: bool,
    /// Whether it is the exit lane to the decision.
    pub exit: bool,
}

impl FlowEdge {
    /// The `points` attribute of an SVG `<polyline>`.
    pub fn svg_points(&self) -> String {
        self.points
            .iter()
            .map(|(x, y)| format!("{x},{y}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The decision box at the bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionNode {
    /// The decision, or `None` while the walk has not reached it.
    pub decision: Option<Decision>,
    /// The text drawn in the box.
    pub label: &'static str,
    /// Box position and size.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub w: i32,
    /// Height.
    pub h: i32,
}

/// The whole diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowLayout {
    /// Width of the drawing (the `viewBox` width).
    pub width: i32,
    /// Height of the drawing.
    pub height: i32,
    /// The stages, in AWS's order.
    pub nodes: Vec<FlowNode>,
    /// The connectors.
    pub edges: Vec<FlowEdge>,
    /// The decision.
    pub decision: DecisionNode,
    /// A text alternative: the path in words.
    pub description: String,
}

/// A short title for a stage, to fit its box.
pub fn stage_short_title(stage: Stage) -> &'static str {
    match stage {
        Stage::DenyEvaluation => "Deny evaluation",
        Stage::ResourceControlPolicies => "Resource control policies",
        Stage::ServiceControlPolicies => "Service control policies",
        Stage::ResourcePolicies => "Resource-based policies",
        Stage::PermissionsBoundary => "Permissions boundary",
        Stage::SessionPolicies => "Session policies",
        Stage::IdentityPolicies => "Identity-based policies",
    }
}

/// What a stage found, in a few words.
pub fn outcome_short(outcome: StageOutcome) -> &'static str {
    match outcome {
        StageOutcome::ExplicitDeny => "a Deny matches",
        StageOutcome::NoDeny => "no Deny matches",
        StageOutcome::Allowed => "allows",
        StageOutcome::ImplicitDeny => "no Allow matches",
        StageOutcome::NoMatch => "no Allow matches (not needed)",
        StageOutcome::NotPresent => "skipped: none given",
        StageOutcome::NotApplicable => "skipped: does not apply",
        StageOutcome::NotReached => "not reached",
    }
}

/// A mark for an outcome, so it never rests on colour alone.
pub fn outcome_mark(outcome: StageOutcome) -> &'static str {
    match outcome {
        StageOutcome::ExplicitDeny | StageOutcome::ImplicitDeny => "✗",
        StageOutcome::NoDeny | StageOutcome::Allowed => "✓",
        StageOutcome::NoMatch | StageOutcome::NotPresent | StageOutcome::NotApplicable => "–",
        StageOutcome::NotReached => "·",
    }
}

/// The decision in words, as the badge shows it.
pub fn decision_label(decision: Decision) -> &'static str {
    match decision {
        Decision::Allow => "Allow",
        Decision::ExplicitDeny => "Explicit deny",
        Decision::ImplicitDeny => "Implicit deny",
    }
}

/// How a step is drawn (before the walk hides anything).
pub fn node_state(step: &Step) -> NodeState {
    if step.decisive {
        return NodeState::Decisive;
    }
    match step.outcome {
        StageOutcome::NotReached => NodeState::NotReached,
        StageOutcome::NotPresent | StageOutcome::NotApplicable => NodeState::Skipped,
        _ => NodeState::Passed,
    }
}

/// The index of the stage where a denied request leaves the flow: the first
/// decisive stage, when the decision is a deny. `None` for an allow, which
/// runs through every stage to the decision.
pub fn exit_index(steps: &[Step], decision: Decision) -> Option<usize> {
    if decision == Decision::Allow {
        return None;
    }
    steps.iter().position(|s| s.decisive)
}

/// Lays out the diagram for `steps` and `decision`. `revealed` is the walk's
/// position: `Some(k)` shows stages `0..=k` (and the decision once `k`
/// reaches `steps.len()`); `None` shows everything.
pub fn layout(steps: &[Step], decision: Decision, revealed: Option<usize>) -> FlowLayout {
    let shown = |i: usize| revealed.is_none_or(|k| i <= k);
    let exit = exit_index(steps, decision);
    let node_y = |i: usize| TOP + i32::try_from(i).unwrap_or(0) * (NODE_H + GAP);
    let mut nodes = Vec::with_capacity(steps.len());
    for (index, step) in steps.iter().enumerate() {
        let visible = shown(index);
        nodes.push(FlowNode {
            stage: step.stage,
            index,
            title: stage_short_title(step.stage),
            outcome: if visible {
                outcome_short(step.outcome)
            } else {
                ""
            },
            mark: if visible {
                outcome_mark(step.outcome)
            } else {
                ""
            },
            state: if visible {
                node_state(step)
            } else {
                NodeState::Hidden
            },
            current: revealed == Some(index),
            x: NODE_X,
            y: node_y(index),
            w: NODE_W,
            h: NODE_H,
        });
    }
    let decision_shown = shown(steps.len());
    let decision_node = DecisionNode {
        decision: decision_shown.then_some(decision),
        label: if decision_shown {
            decision_label(decision)
        } else {
            "Decision"
        },
        x: NODE_X,
        y: node_y(steps.len()),
        w: NODE_W,
        h: NODE_H,
    };
    let centre_x = NODE_X + NODE_W / 2;
    let mut edges = Vec::new();
    // The spine: box i to box i + 1 (the last to the decision).
    for i in 0..steps.len() {
        let from_bottom = node_y(i) + NODE_H;
        let to_top = node_y(i + 1);
        let on_path = exit.is_none_or(|e| i < e) && shown(i + 1);
        edges.push(FlowEdge {
            points: vec![(centre_x, from_bottom), (centre_x, to_top)],
            on_path,
            exit: false,
        });
    }
    // The exit lane: right of the deciding box, down, into the decision.
    if let Some(e) = exit {
        let from_y = node_y(e) + NODE_H / 2;
        let to_y = decision_node.y + NODE_H / 2;
        edges.push(FlowEdge {
            points: vec![
                (NODE_X + NODE_W, from_y),
                (EXIT_X, from_y),
                (EXIT_X, to_y),
                (NODE_X + NODE_W, to_y),
            ],
            on_path: decision_shown,
            exit: true,
        });
    }
    let description = describe(steps, decision, revealed);
    FlowLayout {
        width: WIDTH,
        height: decision_node.y + NODE_H + TOP,
        nodes,
        edges,
        decision: decision_node,
        description,
    }
}

/// The diagram in words (its text alternative).
pub fn describe(steps: &[Step], decision: Decision, revealed: Option<usize>) -> String {
    let mut parts = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        if revealed.is_some_and(|k| i > k) {
            break;
        }
        let decisive = if step.decisive { " (decisive)" } else { "" };
        parts.push(format!(
            "{}: {}{decisive}",
            stage_short_title(step.stage),
            outcome_short(step.outcome)
        ));
    }
    let end = if revealed.is_none_or(|k| k >= steps.len()) {
        format!("Decision: {}.", decision_label(decision))
    } else {
        "Decision not yet shown.".to_owned()
    };
    format!(
        "Evaluation flow. {}. {end}",
        if parts.is_empty() {
            "No stage shown yet".to_owned()
        } else {
            parts.join("; ")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use iam_engine::explain::Side;

    const STAGES: [Stage; 7] = Stage::ALL;

    fn steps(outcomes: [(StageOutcome, bool); 7]) -> Vec<Step> {
        STAGES
            .iter()
            .zip(outcomes)
            .map(|(stage, (outcome, decisive))| Step {
                stage: *stage,
                outcome,
                decisive,
                policies: Default::default(),
                statements: Default::default(),
                levels: vec![],
                side: None::<Side>,
                detail: Default::default(),
            })
            .collect()
    }

    fn explicit_deny() -> Vec<Step> {
        use StageOutcome::*;
        steps([
            (ExplicitDeny, true),
            (NotReached, false),
            (NotReached, false),
            (NotReached, false),
            (NotReached, false),
            (NotReached, false),
            (NotReached, false),
        ])
    }

    fn allow() -> Vec<Step> {
        use StageOutcome::*;
        steps([
            (NoDeny, false),
            (NotPresent, false),
            (NotPresent, false),
            (Allowed, true),
            (NotPresent, false),
            (NotPresent, false),
            (Allowed, true),
        ])
    }

    fn boundary_deny() -> Vec<Step> {
        use StageOutcome::*;
        steps([
            (NoDeny, false),
            (NotPresent, false),
            (NotPresent, false),
            (NotPresent, false),
            (ImplicitDeny, true),
            (NotPresent, false),
            (Allowed, false),
        ])
    }

    #[test]
    fn boxes_stack_without_overlap_and_fit_the_drawing() {
        let l = layout(&allow(), Decision::Allow, None);
        assert_eq!(l.nodes.len(), 7);
        for pair in l.nodes.windows(2) {
            assert_eq!(pair[1].y - (pair[0].y + pair[0].h), GAP);
        }
        assert_eq!(l.decision.y, l.nodes[6].y + NODE_H + GAP);
        assert!(l.height >= l.decision.y + l.decision.h);
        for n in &l.nodes {
            assert!(n.x >= 0 && n.x + n.w <= l.width);
        }
        for e in &l.edges {
            for (x, y) in &e.points {
                assert!((0..=l.width).contains(x) && (0..=l.height).contains(y));
            }
        }
    }

    #[test]
    fn an_allow_runs_the_whole_spine() {
        let l = layout(&allow(), Decision::Allow, None);
        assert_eq!(l.edges.len(), 7, "spine only, no exit lane");
        assert!(l.edges.iter().all(|e| e.on_path && !e.exit));
        let states: Vec<_> = l.nodes.iter().map(|n| n.state).collect();
        assert_eq!(states[0], NodeState::Passed);
        assert_eq!(states[1], NodeState::Skipped);
        assert_eq!(states[3], NodeState::Decisive);
        assert_eq!(states[6], NodeState::Decisive);
        assert_eq!(l.decision.label, "Allow");
        assert_eq!(l.decision.decision, Some(Decision::Allow));
    }

    #[test]
    fn an_explicit_deny_leaves_at_the_first_stage() {
        let l = layout(&explicit_deny(), Decision::ExplicitDeny, None);
        assert_eq!(
            exit_index(&explicit_deny(), Decision::ExplicitDeny),
            Some(0)
        );
        let exit = l.edges.iter().find(|e| e.exit).unwrap();
        assert!(exit.on_path);
        assert_eq!(
            exit.points.first(),
            Some(&(NODE_X + NODE_W, TOP + NODE_H / 2))
        );
        assert_eq!(
            exit.points.last(),
            Some(&(NODE_X + NODE_W, l.decision.y + NODE_H / 2))
        );
        assert!(l.edges.iter().filter(|e| !e.exit).all(|e| !e.on_path));
        assert!(l.nodes[1..]
            .iter()
            .all(|n| n.state == NodeState::NotReached && n.mark == "·"));
        assert_eq!(l.nodes[0].mark, "✗");
    }

    #[test]
    fn a_boundary_deny_exits_there_and_later_stages_stay_evaluated() {
        let s = boundary_deny();
        let l = layout(&s, Decision::ImplicitDeny, None);
        assert_eq!(exit_index(&s, Decision::ImplicitDeny), Some(4));
        let on_path: Vec<bool> = l
            .edges
            .iter()
            .filter(|e| !e.exit)
            .map(|e| e.on_path)
            .collect();
        assert_eq!(on_path, [true, true, true, true, false, false, false]);
        assert_eq!(l.nodes[6].state, NodeState::Passed);
        assert_eq!(l.decision.label, "Implicit deny");
    }

    #[test]
    fn the_walk_reveals_one_stage_at_a_time() {
        let s = allow();
        let l = layout(&s, Decision::Allow, Some(2));
        let hidden: Vec<bool> = l
            .nodes
            .iter()
            .map(|n| n.state == NodeState::Hidden)
            .collect();
        assert_eq!(hidden, [false, false, false, true, true, true, true]);
        assert!(l.nodes[2].current && !l.nodes[1].current);
        assert_eq!(l.nodes[3].outcome, "");
        assert_eq!(l.decision.decision, None);
        assert_eq!(l.decision.label, "Decision");
        assert!(l.edges[1].on_path && !l.edges[2].on_path);
        assert!(l.description.ends_with("Decision not yet shown."));
        let end = layout(&s, Decision::Allow, Some(7));
        assert_eq!(end.decision.decision, Some(Decision::Allow));
        assert!(end.nodes.iter().all(|n| !n.current));
        assert_eq!(end, {
            let mut all = layout(&s, Decision::Allow, None);
            all.nodes.iter_mut().for_each(|n| n.current = false);
            all
        });
    }

    #[test]
    fn the_description_names_every_stage_and_the_decision() {
        let d = describe(&explicit_deny(), Decision::ExplicitDeny, None);
        assert!(d.starts_with("Evaluation flow. Deny evaluation: a Deny matches (decisive); "));
        assert!(d.contains("Identity-based policies: not reached"));
        assert!(d.ends_with("Decision: Explicit deny."));
        assert_eq!(
            describe(&explicit_deny(), Decision::ExplicitDeny, Some(0)),
            "Evaluation flow. Deny evaluation: a Deny matches (decisive). Decision not yet shown."
        );
    }

    #[test]
    fn every_outcome_has_words_and_a_mark() {
        for o in StageOutcome::ALL {
            assert!(!outcome_short(o).is_empty());
            assert!(!outcome_mark(o).is_empty());
        }
        let e = FlowEdge {
            points: vec![(1, 2), (3, 4)],
            on_path: true,
            exit: false,
        };
        assert_eq!(e.svg_points(), "1,2 3,4");
    }
}
