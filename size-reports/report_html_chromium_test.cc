// report.html in a real browser: headless Chromium loads the page from
// disk, its inline script draws the treemap (the dumped DOM holds the
// rectangles, which only the script creates), and a screenshot shows it
// (the treemap's colours are on screen, the image is not one flat colour).
// Needs `chromium` on PATH; scripts/setup installs it, so a missing browser fails.
// Links libpng (PNG::PNG) to read the screenshot.
#include <gtest/gtest.h>
#include <png.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <vector>

#include "size-reports/size_reports.h"
#include "size-reports/test_support.h"

namespace ws::size {
namespace {

using testing::Count;
using testing::ReadText;

constexpr char kChromium[] = "chromium --headless --no-sandbox --disable-gpu --hide-scrollbars";

struct Rgba {
  std::vector<uint8_t> pixels;
  uint32_t width = 0, height = 0;
};

bool ReadPng(const std::string& path, Rgba& out) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str())) return false;
  image.format = PNG_FORMAT_RGBA;
  out.width = image.width;
  out.height = image.height;
  out.pixels.resize(PNG_IMAGE_SIZE(image));
  return png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr) != 0;
}

// Pixels within `tolerance` of the colour #rrggbb.
size_t PixelsNear(const Rgba& image, uint32_t rgb, int tolerance) {
  int r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
  size_t n = 0;
  for (size_t i = 0; i + 3 < image.pixels.size(); i += 4) {
    n += std::abs(image.pixels[i] - r) <= tolerance && std::abs(image.pixels[i + 1] - g) <= tolerance &&
         std::abs(image.pixels[i + 2] - b) <= tolerance;
  }
  return n;
}

class ReportHtmlChromiumTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::HaveTool("chromium")) << "chromium is not installed; run ./scripts/setup";
    dir_ = testing::FreshDir("chromium");
    page_ = dir_ + "/report.html";
    testing::WriteText(page_, RenderReportHtml(testing::LoadReport("report.json")));
  }
  std::string dir_;
  std::string page_;
};

TEST_F(ReportHtmlChromiumTest, ScriptDrawsTheTreemap) {
  std::string dom = dir_ + "/dom.html";
  ASSERT_EQ(testing::Run(std::string(kChromium) + " --dump-dom file://" + page_ + " > " + dom + " 2>" + dir_ +
                         "/dump.log"),
            0)
      << ReadText(dir_ + "/dump.log");
  std::string html = ReadText(dom);
  // Seven components of the first variant, each a rectangle made by the script.
  EXPECT_EQ(Count(html, "class=\"ws-cell ws-component\""), 7u) << html.substr(0, 2000);
  EXPECT_NE(html.find("data-component=\"runtime\""), std::string::npos);
  EXPECT_NE(html.find("data-function=\"ws::ui::LayoutSystem()\""), std::string::npos);
  EXPECT_GE(Count(html, "data-function="), 10u);
  EXPECT_GE(Count(html, "data-section="), 1u);  // module and data show their sections
  // The variant selector was filled, and the hostile name stayed text.
  EXPECT_NE(html.find("<option value=\"1\">base-64m-release</option>"), std::string::npos);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
}

TEST_F(ReportHtmlChromiumTest, ScreenshotShowsTheTreemap) {
  std::string png = dir_ + "/shot.png";
  ASSERT_EQ(testing::Run(std::string(kChromium) + " --screenshot=" + png + " --window-size=1280,900 file://" +
                         page_ + " >" + dir_ + "/shot.log 2>&1"),
            0)
      << ReadText(dir_ + "/shot.log");
  ASSERT_TRUE(std::filesystem::exists(png));
  Rgba image;
  ASSERT_TRUE(ReadPng(png, image));
  EXPECT_EQ(image.width, 1280u);
  EXPECT_EQ(image.height, 900u);
  std::set<uint32_t> colours;
  for (size_t i = 0; i + 3 < image.pixels.size(); i += 4) {
    colours.insert(image.pixels[i] << 16 | image.pixels[i + 1] << 8 | image.pixels[i + 2]);
  }
  EXPECT_GT(colours.size(), 16u);  // not one flat colour: text, tables, rectangles
  // The runtime component's blue and the app's green fill visible areas
  // (report_html_assets.cc's palette).
  EXPECT_GT(PixelsNear(image, 0x3367d6, 6), 5000u);
  EXPECT_GT(PixelsNear(image, 0x2e9e5b, 6), 1000u);
}

}  // namespace
}  // namespace ws::size
