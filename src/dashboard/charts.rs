//! Horizontal bar charts as server-rendered SVG (no script): one bar per row, or a group of
//! bars per row (one per series, e.g. knowledge and career outcomes rate per college).
//! Pure: figures in, markup out, so geometry, escaping and the spoken description are
//! unit-tested here.
//!
//! Each chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`
//! (a sentence with every figure, for screen readers); every bar carries its number as
//! text; every label is escaped (an employer called `<script>` is text). The bars' colours
//! have at least 3:1 contrast with the white background and the text 4.5:1 (WCAG 1.4.11
//! and 1.4.3; checked in the tests). A chart without a figure says "No data for these
//! filters" in the picture and in its description, never an empty box.

use std::fmt::Write as _;

/// What the bars measure: a share (0 to 1, drawn against 100%) or a count (drawn against
/// the largest count of the chart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Share,
    Count,
}

/// One bar's figure: the amount drawn (`None`: nothing to draw, e.g. a rate whose
/// denominator is zero) and the text shown beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub amount: Option<f64>,
    pub text: String,
}

impl Figure {
    pub fn new(amount: Option<f64>, text: impl Into<String>) -> Self {
        Figure { amount, text: text.into() }
    }
    pub fn count(n: u64) -> Self {
        Figure { amount: Some(n as f64), text: crate::core::money::group(n) }
    }
}

/// One row of the chart: its label and one figure per series.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub figures: Vec<Figure>,
}

/// A horizontal bar chart. Its `id` must be unique on the page (it names the title and
/// description elements).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub scale: Scale,
    /// The series' names (one for a plain bar chart; a legend is drawn for two or more).
    pub series: Vec<String>,
    pub rows: Vec<Row>,
    /// A reference line across the bars (its amount and label), e.g. NACE's 65%.
    pub marker: Option<(f64, String)>,
}

/// The text's colour (#1b1f24 on white: 16:1).
pub const INK: &str = "#1b1f24";
/// The series' colours, in order: the site's blue (8.4:1 on white) and a dark orange
/// (4.8:1), told apart by hue and lightness, and by the legend and the numbers.
pub const PALETTE: [&str; 3] = ["#0b4f8a", "#a34e00", "#2f6b3a"];
pub const BACKGROUND: &str = "#ffffff";
pub const NO_DATA: &str = "No data for these filters";

/// The drawing's sizes (SVG user units; the picture scales to its box). Each row's label
/// sits above its bars, so the picture is narrow enough to stay legible on a phone.
pub const WIDTH: u32 = 420;
/// Where the bars (and labels) start.
pub const PLOT_X: u32 = 4;
/// The length of a full bar (100%, or the largest count).
pub const PLOT_WIDTH: u32 = 320;
const BAR: u32 = 18;
const BAR_GAP: u32 = 4;
const ROW_GAP: u32 = 14;
const TOP: u32 = 12;
const LEGEND: u32 = 26;
/// Labels longer than this are shortened in the picture (the table has them whole).
const LABEL_CHARS: usize = 56;
/// The line of a row's label, above its bars.
const LABEL_LINE: u32 = 18;
/// Room below the bars for a reference line's label.
const MARKER: u32 = 22;

/// Text made safe inside SVG/HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn shortened(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let s: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{}…", s.trim_end())
}

impl Chart {
    pub fn new(id: &str, title: &str, scale: Scale, series: &[&str]) -> Self {
        Chart {
            id: id.to_owned(),
            title: title.to_owned(),
            scale,
            series: series.iter().map(|s| (*s).to_owned()).collect(),
            rows: Vec::new(),
            marker: None,
        }
    }

    /// Draws a dashed reference line at `amount`, labelled below the bars.
    pub fn marker(mut self, amount: f64, label: &str) -> Self {
        self.marker = Some((amount, label.to_owned()));
        self
    }

    /// Adds a row (one figure per series).
    pub fn row(mut self, label: impl Into<String>, figures: Vec<Figure>) -> Self {
        self.rows.push(Row { label: label.into(), figures });
        self
    }

    /// Whether there is anything to draw: a row with a figure (a count above zero: a
    /// chart of zeros is "no data"; a rate of 0% is a figure).
    pub fn has_data(&self) -> bool {
        let drawn = |a: f64| self.scale == Scale::Share || a > 0.0;
        self.rows.iter().any(|r| r.figures.iter().any(|f| f.amount.is_some_and(drawn)))
    }

    /// What a full bar stands for: 1 (100%) for shares, the largest count (at least 1) for counts.
    fn full(&self) -> f64 {
        match self.scale {
            Scale::Share => 1.0,
            Scale::Count => {
                self.rows.iter().flat_map(|r| r.figures.iter().filter_map(|f| f.amount)).fold(1.0_f64, f64::max)
            }
        }
    }

    /// A bar's length: proportional to its amount, a full bar at [`Chart::full`].
    pub fn bar_length(&self, amount: f64) -> u32 {
        let full = self.full();
        let share = if full > 0.0 { (amount / full).clamp(0.0, 1.0) } else { 0.0 };
        (share * PLOT_WIDTH as f64).round() as u32
    }

    /// The sentence a screen reader reads: what the chart shows, then every figure.
    pub fn description(&self) -> String {
        if !self.has_data() {
            return format!("{}: {NO_DATA}.", self.title);
        }
        let rows: Vec<String> = self
            .rows
            .iter()
            .map(|r| {
                if self.series.len() == 1 {
                    format!("{} {}", r.label, r.figures.first().map(|f| f.text.as_str()).unwrap_or(""))
                } else {
                    let parts: Vec<String> = self
                        .series
                        .iter()
                        .zip(&r.figures)
                        .map(|(s, f)| format!("{} {}", s.to_lowercase(), f.text))
                        .collect();
                    format!("{}: {}", r.label, parts.join(", "))
                }
            })
            .collect();
        let what = if self.series.len() == 1 {
            format!("Bar chart of {}, {} bars", self.title, rows.len())
        } else {
            format!(
                "Bar chart of {}, {} groups of {} bars ({})",
                self.title,
                rows.len(),
                self.series.len(),
                self.series.join(" and ").to_lowercase()
            )
        };
        let marker = match &self.marker {
            Some((_, label)) => format!(" A dashed line marks the {label}."),
            None => String::new(),
        };
        format!("{what}. {}.{marker}", rows.join("; "))
    }

    fn height(&self) -> u32 {
        if !self.has_data() {
            return 60;
        }
        let per_row = LABEL_LINE + self.series.len() as u32 * (BAR + BAR_GAP) - BAR_GAP + ROW_GAP;
        TOP + self.legend_height() + self.rows.len() as u32 * per_row + if self.marker.is_some() { MARKER } else { 0 }
    }

    fn legend_height(&self) -> u32 {
        if self.series.len() > 1 {
            LEGEND
        } else {
            0
        }
    }

    /// The chart as an SVG element, ready to be placed in a page as it is.
    pub fn svg(&self) -> String {
        let id = escape(&self.id);
        let height = self.height();
        let mut s = String::new();
        let _ = write!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
             aria-labelledby=\"{id}-title {id}-desc\" font-family=\"system-ui, sans-serif\" font-size=\"13\">\
             <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
             <rect x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{height}\" fill=\"{BACKGROUND}\"/>",
            escape(&self.title),
            escape(&self.description()),
        );
        if !self.has_data() {
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"35\" text-anchor=\"middle\" fill=\"{INK}\" font-size=\"15\">{NO_DATA}</text></svg>",
                WIDTH / 2
            );
            return s;
        }
        if self.series.len() > 1 {
            let mut x = PLOT_X;
            for (i, name) in self.series.iter().enumerate() {
                let _ = write!(
                    s,
                    "<rect x=\"{x}\" y=\"{TOP}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
                     <text x=\"{}\" y=\"{}\" fill=\"{INK}\">{}</text>",
                    PALETTE[i % PALETTE.len()],
                    x + 16,
                    TOP + 11,
                    escape(name)
                );
                x += 24 + 8 * name.chars().count() as u32;
            }
        }
        let mut y = TOP + self.legend_height();
        for row in &self.rows {
            let group = self.series.len() as u32 * (BAR + BAR_GAP) - BAR_GAP;
            let _ = write!(
                s,
                "<text x=\"{PLOT_X}\" y=\"{}\" fill=\"{INK}\" font-weight=\"600\">{}</text>",
                y + 13,
                escape(&shortened(&row.label))
            );
            y += LABEL_LINE;
            for (i, figure) in row.figures.iter().enumerate().take(self.series.len()) {
                let by = y + i as u32 * (BAR + BAR_GAP);
                let length = figure.amount.map(|a| self.bar_length(a)).unwrap_or(0);
                if figure.amount.is_some() {
                    let _ = write!(
                        s,
                        "<rect class=\"bar\" x=\"{PLOT_X}\" y=\"{by}\" width=\"{length}\" height=\"{BAR}\" fill=\"{}\"/>",
                        PALETTE[i % PALETTE.len()]
                    );
                }
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" fill=\"{INK}\">{}</text>",
                    PLOT_X + length + 6,
                    by + BAR - 5,
                    escape(&figure.text)
                );
            }
            y += group + ROW_GAP;
        }
        if let Some((amount, label)) = &self.marker {
            let x = PLOT_X + self.bar_length(*amount);
            let top = TOP + self.legend_height();
            let _ = write!(
                s,
                "<line class=\"marker\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{INK}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\
                 <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
                top - 4,
                y - ROW_GAP + 4,
                y + 8,
                escape(label)
            );
        }
        s.push_str("</svg>");
        s
    }
}

/// WCAG's contrast ratio of two `#rrggbb` colours (1 to 21).
pub fn contrast(a: &str, b: &str) -> f64 {
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let v = u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).expect("#rrggbb") as f64 / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(svg: &str) -> Vec<u32> {
        svg.split("<rect class=\"bar\"")
            .skip(1)
            .map(|r| {
                let w = r.split("width=\"").nth(1).unwrap();
                w[..w.find('"').unwrap()].parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn bar_lengths_are_proportional_to_counts() {
        // 40, 20, 10, 0 against the largest (40): 320, 160, 80 and 0 units.
        let c = Chart::new("funnel", "The funnel", Scale::Count, &["Count"])
            .row("Postings", vec![Figure::count(40)])
            .row("Applications", vec![Figure::count(20)])
            .row("Engagements", vec![Figure::count(10)])
            .row("Hires", vec![Figure::count(0)]);
        assert_eq!(widths(&c.svg()), [320, 160, 80, 0]);
        assert!(c.svg().contains(">40<") && c.svg().contains(">0<"), "every bar says its number");
    }

    #[test]
    fn shares_are_drawn_against_one_hundred_percent() {
        // 0.75 of 320 = 240; 0.5 = 160; an empty rate draws no bar but says so.
        let c = Chart::new("rates", "Rates", Scale::Share, &["Knowledge rate", "Career outcomes rate"])
            .row("Engineering", vec![Figure::new(Some(0.75), "75.00%"), Figure::new(Some(0.5), "50.00%")])
            .row("Arts", vec![Figure::new(Some(1.0), "100.00%"), Figure::new(None, "no rate")]);
        let svg = c.svg();
        assert_eq!(widths(&svg), [240, 160, 320]);
        assert!(svg.contains(">no rate<"));
        assert!(svg.contains(">Knowledge rate<") && svg.contains(">Career outcomes rate<"), "a legend: {svg}");
        assert_eq!(
            c.description(),
            "Bar chart of Rates, 2 groups of 2 bars (knowledge rate and career outcomes rate). \
             Engineering: knowledge rate 75.00%, career outcomes rate 50.00%; Arts: knowledge rate 100.00%, career outcomes rate no rate."
        );
    }

    #[test]
    fn no_data_is_said_not_left_blank() {
        for c in [
            Chart::new("empty", "Conversion by employer", Scale::Share, &["Conversion rate"]),
            Chart::new("empty", "Rates", Scale::Share, &["A", "B"])
                .row("X", vec![Figure::new(None, ""), Figure::new(None, "")]),
            Chart::new("empty", "Funnel", Scale::Count, &["Count"]).row("Postings", vec![Figure::count(0)]),
        ] {
            let svg = c.svg();
            assert!(svg.contains(">No data for these filters</text>"), "{svg}");
            assert!(!svg.contains("class=\"bar\""));
            assert!(c.description().ends_with(": No data for these filters."));
            assert!(svg.contains("role=\"img\"") && svg.contains("<title id=\"empty-title\">"));
        }
    }

    #[test]
    fn a_rate_of_zero_is_a_figure() {
        let c = Chart::new("z", "Rates", Scale::Share, &["Rate"]).row("Arts", vec![Figure::new(Some(0.0), "0.00%")]);
        assert!(c.has_data());
        assert_eq!(widths(&c.svg()), [0]);
    }

    #[test]
    fn a_reference_line_is_drawn_where_its_amount_falls() {
        // 65% of 320 units = 208, from the bars' start (4): x = 212; labelled, described by its text.
        let c = Chart::new("m", "Rates", Scale::Share, &["Knowledge rate"])
            .row("Arts", vec![Figure::new(Some(0.5), "50.00%")])
            .marker(0.65, "NACE minimum 65%");
        let svg = c.svg();
        assert!(svg.contains("<line class=\"marker\" x1=\"212\""), "{svg}");
        assert!(svg.contains(">NACE minimum 65%</text>"));
        assert!(c.description().ends_with("Arts 50.00%. A dashed line marks the NACE minimum 65%."));
    }

    #[test]
    fn labels_are_text_never_markup() {
        let c = Chart::new("c\"x", "Offers from <b>", Scale::Count, &["Count"])
            .row("<script>alert(1)</script>", vec![Figure::count(3)])
            .row("Smith & Sons \"Ltd\"", vec![Figure::count(1)]);
        let svg = c.svg();
        assert!(!svg.contains("<script>") && !svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("Smith &amp; Sons &quot;Ltd&quot;"));
        assert!(svg.contains("aria-labelledby=\"c&quot;x-title c&quot;x-desc\""));
        // The description (read aloud) has the names as they are, escaped in the markup.
        assert!(c.description().contains("<script>alert(1)</script> 3"));
        assert!(svg.contains("<desc id=\"c&quot;x-desc\">Bar chart of Offers from &lt;b&gt;, 2 bars."));
    }

    #[test]
    fn the_description_names_every_figure() {
        let c = Chart::new("f", "the micro-internship funnel", Scale::Count, &["Count"])
            .row("Postings", vec![Figure::count(1200)])
            .row("Hires", vec![Figure::count(3)]);
        assert_eq!(c.description(), "Bar chart of the micro-internship funnel, 2 bars. Postings 1,200; Hires 3.");
    }

    #[test]
    fn long_labels_are_shortened_in_the_picture_only() {
        let long = "The Very Long Name of a Regional Health Partnership of the Valley";
        let c = Chart::new("l", "T", Scale::Count, &["Count"]).row(long, vec![Figure::count(1)]);
        assert!(c.svg().contains(">The Very Long Name of a Regional Health Partnership of…<"));
        assert!(c.description().contains(long));
    }

    #[test]
    fn the_colours_have_enough_contrast() {
        assert!(contrast(INK, BACKGROUND) >= 4.5);
        for colour in PALETTE {
            assert!(contrast(colour, BACKGROUND) >= 3.0, "{colour}: {}", contrast(colour, BACKGROUND));
        }
        // The known ratios: black on white 21, white on white 1.
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        assert!((contrast("#ffffff", "#ffffff") - 1.0).abs() < 1e-9);
    }
}
