// Weighted sums of a resample's rows, the core of the streaming bootstrap: X'WX, X'Wv,
// sum w, sum w v, sum w v^2 in one pass (four rows per AVX2 step for p <= 3).
#pragma once

#include <Eigen/Dense>
#include <vector>

namespace computelimits::fit {

using Columns = std::vector<Eigen::Map<const Eigen::ArrayXd>>;

// Sums of one resample: X'WX, X'Wv, sum w, sum w v, sum w v^2.
struct Sums {
  Eigen::MatrixXd gram;
  Eigen::VectorXd cross;
  double weight = 0.0;
  double response = 0.0;
  double response_squared = 0.0;
};

// One pass over the rows with weights w (null: all 1) and values v; the Gram matrix only
// when `with_gram`. `ones_first`: column 0 is all ones (the AVX2 pass then skips it).
// `scratch` has one entry per row.
void weighted_pass(const Columns& columns, const Eigen::ArrayXd* weights, const Eigen::ArrayXd& values,
                   bool with_gram, bool ones_first, Eigen::ArrayXd& scratch, Sums& sums);

}  // namespace computelimits::fit
