package jblk.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * The comparison as one PNG (XChart), two panels, one bar per workload and comparison (checked vs
 * off, off vs raw) with its bootstrap 95% interval as the error bar: on top the extra CPU time per
 * I/O in %, below the IOPS lost in %. XChart's error bars are symmetric, so a bar's error is the
 * larger of median - low and high - median. Debug vs off (tens of times the cost) would flatten the
 * scale and is left to the table.
 */
final class CompareChart {
    private static final Color[] COLORS = {new Color(0xff, 0x7f, 0x0e), new Color(0x1f, 0x77, 0xb4)};
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 520;

    private CompareChart() {
    }

    static void write(CompareReport r, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> names = new ArrayList<>();
        for (CompareWorkload w : r.workloads) {
            names.add(w.name());
        }
        CompareReport.Settings s = r.settings;
        String how = String.format(Locale.ROOT, "medians of paired ABBA blocks (rounds of %.2f s), error bars:"
                + " bootstrap 95%% intervals", s.runtimeS());
        CategoryChart cpu = panel(r, names, ComparePair.Metric.CPU, "jblk compare: extra CPU time per I/O, " + how,
                "% more CPU per I/O");
        CategoryChart iops = panel(r, names, ComparePair.Metric.IOPS, "IOPS lost, " + how, "% IOPS lost");
        BufferedImage img = new BufferedImage(WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.drawImage(BitmapEncoder.getBufferedImage(cpu), 0, 0, null);
        g.drawImage(BitmapEncoder.getBufferedImage(iops), 0, HEIGHT, null);
        g.dispose();
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    private static CategoryChart panel(CompareReport r, List<String> names, ComparePair.Metric m, String title,
                                       String yTitle) {
        CategoryChart c = chart(title, yTitle);
        for (ComparePair p : r.pairs()) {
            if (!p.charted) {
                continue;
            }
            List<Double> y = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (CompareWorkload w : r.workloads) {
                Bootstrap.Interval i = r.interval(w, p, m);
                y.add(i == null ? 0.0 : i.median());
                err.add(i == null ? 0.0 : Math.max(i.median() - i.low(), i.high() - i.median()));
            }
            c.addSeries(p.a.label() + " vs " + p.b.label(), names, y, err);
        }
        c.getStyler().setErrorBarsColor(Color.BLACK);
        c.getStyler().setYAxisDecimalPattern("#.#");
        return c;
    }

    private static CategoryChart chart(String title, String yTitle) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("workload (null_blk, 4 KiB I/O, " + CompareWorkload.COMMON
                        + ")").yAxisTitle(yTitle).build();
        CategoryStyler st = c.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setSeriesColors(COLORS);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridVerticalLinesVisible(false);
        st.setYAxisDecimalPattern("#,###");
        return c;
    }
}
