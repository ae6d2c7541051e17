// Adds what the machine knows about an event (paths, filters, processes) for the live sources. One
// implementation per OS; CreateSystemEnricher() gives none where there is nothing to look up.
#pragma once

#include <memory>

#include "model/block_event.h"

namespace wfp {

class Enricher {
 public:
  virtual ~Enricher() = default;
  // Fills what it can; a lookup that fails leaves its field empty, never the event.
  virtual void Enrich(const BlockEvent& event, Enrichment& out) = 0;
};

class WfpEngine;  // win/wfp_engine.h (Windows only)

// The WFP engine session one watcher's enricher and its WFP source share; null where there is no WFP.
std::shared_ptr<WfpEngine> CreateSharedWfpEngine();
// Filter names are looked up on `engine`, opened when first needed.
std::unique_ptr<Enricher> CreateSystemEnricher(std::shared_ptr<WfpEngine> engine);

}  // namespace wfp
