#include "test_main.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

namespace wfp::test {
namespace {

struct Case {
  const char* name;
  void (*run)();
};

std::vector<Case>& Cases() {
  static std::vector<Case> cases;
  return cases;
}

int checks = 0;
std::vector<std::string> failures;

std::string Json(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace

Registration::Registration(const char* name, void (*run)()) { Cases().push_back(Case{name, run}); }

void Check(bool ok, const std::string& what) {
  ++checks;
  if (!ok && failures.size() < 50) failures.push_back(what);
}

const std::vector<Fixture>& Fixtures() {
  static const std::vector<Fixture> fixtures = [] {
    std::vector<Fixture> out;
    const char* folder = std::getenv("WFP_FIXTURES");
    if (!folder) return out;
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
      if (entry.path().extension() == ".xml") paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
      std::ifstream in(path);
      Fixture f{path.filename().string(), {}};
      for (std::string line; std::getline(in, line);)
        if (!line.empty()) f.xml.push_back(line);
      out.push_back(std::move(f));
    }
    return out;
  }();
  return fixtures;
}

const std::vector<EvtxFile>& EvtxFixtures() {
  static const std::vector<EvtxFile> files = [] {
    std::vector<EvtxFile> out;
    const char* folder = std::getenv("WFP_EVTX_FIXTURES");
    if (!folder) return out;
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
      if (entry.path().extension() == ".evtx") paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
      std::ifstream in(path, std::ios::binary);
      out.push_back(EvtxFile{path.filename().string(), std::string(std::istreambuf_iterator<char>(in), {})});
    }
    return out;
  }();
  return files;
}

bool Read(const std::string& xml, XmlEventReader& reader, EventRecord& record) {
  reader.Reset(0);
  reader.Append(xml.data(), xml.size());
  ReadIssue issue;
  uint64_t offset;
  return reader.Next(true, record, issue, offset) == XmlEventReader::Step::Record;
}

std::string Replaced(std::string s, std::string_view from, std::string_view to, bool all) {
  for (size_t at = s.find(from); at != std::string::npos; at = all ? s.find(from, at + to.size()) : std::string::npos)
    s.replace(at, from.size(), to);
  return s;
}

}  // namespace wfp::test

int main(int argc, char** argv) {
  using namespace wfp::test;
  if (argc > 1 && std::string_view(argv[1]) == "--list") {
    for (const auto& c : Cases()) std::printf("%s\n", c.name);
    return 0;
  }
  if (Fixtures().empty()) {
    std::fprintf(stderr, "unit_tests: set WFP_FIXTURES to the fixture records folder\n");
    return 2;
  }
  int failed = 0;
  for (const auto& c : Cases()) {
    bool wanted = argc == 1;
    for (int i = 1; i < argc; ++i) wanted = wanted || c.name == std::string_view(argv[i]);
    if (!wanted) continue;
    checks = 0;
    failures.clear();
    c.run();
    std::string line = "{\"name\":" + Json(c.name) + ",\"checks\":" + std::to_string(checks) + ",\"failures\":[";
    for (size_t i = 0; i < failures.size(); ++i) line += (i ? "," : "") + Json(failures[i]);
    std::printf("%s]}\n", line.c_str());
    std::fflush(stdout);
    failed += !failures.empty();
  }
  return failed ? 1 : 0;
}
