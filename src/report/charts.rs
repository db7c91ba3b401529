//! The report page's charts, drawn by plotters' SVG backend into strings
//! the page inlines: questions per day stacked by decision, the answer rate
//! per day, and a bar chart for a split (language, kind of chat). Labels are
//! dates, figures and the names of typed values, never a logged question;
//! plotters escapes its text anyway.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::Day;

/// The decisions, bottom of the stack first, each with its colour.
pub const DECISIONS: [(&str, RGBColor); 4] = [
    ("answered", RGBColor(46, 125, 50)),
    ("suggested", RGBColor(249, 168, 37)),
    ("declined", RGBColor(198, 40, 40)),
    ("small talk", RGBColor(120, 144, 156)),
];

const WIDTH: u32 = 720;
const HEIGHT: u32 = 280;
const SMALL: (u32, u32) = (340, 220);

/// A drawing that failed (plotters reports it as text).
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the {chart} chart: {message}")]
pub struct ChartError {
    chart: &'static str,
    message: String,
}

/// A chart's plotting area: x from 0 to the number of columns, y from 0 up.
type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The axes of one chart.
struct Axes<'f> {
    size: (u32, u32),
    columns: usize,
    top: f64,
    x_labels: usize,
    x_label: &'f dyn Fn(&f64) -> String,
    y_desc: &'static str,
}

/// One chart as SVG: white ground, axes and labels, then what `draw` puts
/// on the plot.
fn chart(
    name: &'static str,
    axes: Axes,
    draw: impl FnOnce(&mut Plot) -> Result<(), String>,
) -> Result<String, ChartError> {
    let fail = |message: String| ChartError {
        chart: name,
        message,
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, axes.size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        let mut plot = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(0f64..axes.columns.max(1) as f64, 0f64..axes.top)
            .map_err(|e| fail(e.to_string()))?;
        plot.configure_mesh()
            .disable_x_mesh()
            .x_labels(axes.x_labels)
            .x_label_formatter(axes.x_label)
            .y_desc(axes.y_desc)
            .draw()
            .map_err(|e| fail(e.to_string()))?;
        draw(&mut plot).map_err(fail)?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    Ok(svg)
}

/// Questions per day, stacked by decision.
pub fn per_day(days: &[Day]) -> Result<String, ChartError> {
    let top = days.iter().map(|d| d.questions).max().unwrap_or(0).max(1);
    let axes = Axes {
        size: (WIDTH, HEIGHT),
        columns: days.len(),
        top: top as f64 * 1.1,
        x_labels: days.len().clamp(1, 8),
        x_label: &|x| label_of(days, *x),
        y_desc: "questions",
    };
    chart("questions per day", axes, |plot| {
        for (i, day) in days.iter().enumerate() {
            let counts = [day.answered, day.suggested, day.declined, day.smalltalk];
            let mut base = 0usize;
            for (n, (_, colour)) in counts.into_iter().zip(DECISIONS) {
                if n == 0 {
                    continue;
                }
                let x = i as f64;
                let bar = Rectangle::new(
                    [(x + 0.15, base as f64), (x + 0.85, (base + n) as f64)],
                    colour.filled(),
                );
                plot.draw_series([bar]).map_err(|e| e.to_string())?;
                base += n;
            }
        }
        Ok(())
    })
}

/// The share of each day's questions answered, in percent.
pub fn answer_rate(days: &[Day]) -> Result<String, ChartError> {
    let axes = Axes {
        size: (WIDTH, HEIGHT),
        columns: days.len(),
        top: 100.0,
        x_labels: days.len().clamp(1, 8),
        x_label: &|x| label_of(days, *x),
        y_desc: "% answered",
    };
    chart("answer rate", axes, |plot| {
        let points: Vec<(f64, f64)> = days
            .iter()
            .enumerate()
            .filter(|(_, d)| d.questions > 0)
            .map(|(i, d)| {
                (
                    i as f64 + 0.5,
                    100.0 * d.answered as f64 / d.questions as f64,
                )
            })
            .collect();
        let colour = DECISIONS[0].1;
        plot.draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
            .map_err(|e| e.to_string())?;
        plot.draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled())))
            .map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// One bar per key: how many questions each has.
pub fn split(name: &'static str, counts: &[(String, usize)]) -> Result<String, ChartError> {
    let top = counts.iter().map(|c| c.1).max().unwrap_or(0).max(1);
    // Each name once, under the middle of its bar.
    let label = |x: &f64| {
        let i = x.floor();
        if (x - i - 0.5).abs() < 1e-6 && i >= 0.0 {
            counts
                .get(i as usize)
                .map(|c| c.0.clone())
                .unwrap_or_default()
        } else {
            String::new()
        }
    };
    let axes = Axes {
        size: SMALL,
        columns: counts.len(),
        top: top as f64 * 1.1,
        x_labels: counts.len().max(1) * 2 + 1,
        x_label: &label,
        y_desc: "questions",
    };
    chart(name, axes, |plot| {
        let colour = RGBColor(21, 101, 192);
        plot.draw_series(counts.iter().enumerate().map(|(i, (_, n))| {
            let x = i as f64;
            Rectangle::new([(x + 0.2, 0.0), (x + 0.8, *n as f64)], colour.filled())
        }))
        .map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// The date under position `x` ("11-29": the year is in the page's title).
fn label_of(days: &[Day], x: f64) -> String {
    if x < 0.0 {
        return String::new();
    }
    days.get(x.floor() as usize)
        .map(|d| d.date.get(5..).unwrap_or(&d.date).to_owned())
        .unwrap_or_default()
}
