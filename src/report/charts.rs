//! The report page's charts, drawn by plotters' SVG backend into strings
//! the page inlines: questions per day stacked by decision, the answer rate
//! per day, and a bar chart for a split (language, kind of chat). Labels are
//! dates, figures and the names of typed values, never a logged question;
//! plotters escapes its text anyway.

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

fn failed(chart: &'static str) -> impl Fn(&dyn std::fmt::Display) -> ChartError {
    move |e| ChartError {
        chart,
        message: e.to_string(),
    }
}

fn counts(d: &Day) -> [usize; 4] {
    [d.answered, d.suggested, d.declined, d.smalltalk]
}

/// Questions per day, stacked by decision.
pub fn per_day(days: &[Day]) -> Result<String, ChartError> {
    let fail = failed("questions per day");
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let top = days.iter().map(|d| d.questions).max().unwrap_or(0).max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(0f64..days.len().max(1) as f64, 0f64..top as f64 * 1.1)
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(days.len().clamp(1, 8))
            .x_label_formatter(&|x| label_of(days, *x))
            .y_desc("questions")
            .draw()
            .map_err(|e| fail(&e))?;
        for (i, day) in days.iter().enumerate() {
            let mut base = 0usize;
            for (n, (_, colour)) in counts(day).into_iter().zip(DECISIONS) {
                if n == 0 {
                    continue;
                }
                let x = i as f64;
                let bar = Rectangle::new(
                    [(x + 0.15, base as f64), (x + 0.85, (base + n) as f64)],
                    colour.filled(),
                );
                chart.draw_series([bar]).map_err(|e| fail(&e))?;
                base += n;
            }
        }
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

/// The share of each day's questions answered, in percent.
pub fn answer_rate(days: &[Day]) -> Result<String, ChartError> {
    let fail = failed("answer rate");
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(0f64..days.len().max(1) as f64, 0f64..100f64)
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(days.len().clamp(1, 8))
            .x_label_formatter(&|x| label_of(days, *x))
            .y_desc("% answered")
            .draw()
            .map_err(|e| fail(&e))?;
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
        chart
            .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
            .map_err(|e| fail(&e))?;
        chart
            .draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled())))
            .map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

/// One bar per key: how many questions each has.
pub fn split(chart_name: &'static str, counts: &[(String, usize)]) -> Result<String, ChartError> {
    let fail = failed(chart_name);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SMALL).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let top = counts.iter().map(|c| c.1).max().unwrap_or(0).max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(0f64..counts.len().max(1) as f64, 0f64..top as f64 * 1.1)
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(counts.len().max(1) * 2 + 1)
            .x_label_formatter(&|x| {
                let i = x.floor();
                // Each name once, under the middle of its bar.
                if (x - i - 0.5).abs() < 1e-6 && i >= 0.0 {
                    counts
                        .get(i as usize)
                        .map(|c| c.0.clone())
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .draw()
            .map_err(|e| fail(&e))?;
        let colour = RGBColor(21, 101, 192);
        chart
            .draw_series(counts.iter().enumerate().map(|(i, (_, n))| {
                let x = i as f64;
                Rectangle::new([(x + 0.2, 0.0), (x + 0.8, *n as f64)], colour.filled())
            }))
            .map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
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
