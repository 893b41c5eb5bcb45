// Gaussian designs for the least-squares simulations.
//
// Replicate r of a design draws standard normals z from RandomStream(seed, r) in this
// order: the n x p design block row by row, then n noise values, then (equicorrelated
// covariance only) n row factors. Rows are then given their covariance:
//   isotropic       x_ij = z_ij
//   equicorrelated  x_ij = sqrt(1 - rho) z_ij + sqrt(rho) f_i          (Sigma = (1-rho) I + rho 11')
//   AR(1)           x_i0 = z_i0, x_ij = rho x_i,j-1 + sqrt(1 - rho^2) z_ij   (Sigma_jl = rho^|j-l|)
// and y = X beta + sigma e. beta has its first k entries equal to c > 0 and the rest 0,
// with c chosen so that beta' Sigma beta = signal (the signal variance; SNR = signal / sigma^2).
#pragma once

#include <Eigen/Dense>
#include <cstdint>

namespace computelimits::simulate {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

enum class Covariance : int { isotropic = 0, equicorrelated = 1, ar1 = 2 };

struct DesignSpec {
  std::int64_t n = 0;  // rows
  std::int64_t p = 0;  // features
  std::int64_t k = 0;  // nonzero true coefficients (the first k features); k == p is dense
  Covariance covariance = Covariance::isotropic;
  double rho = 0.0;     // correlation parameter (equicorrelated: [0, 1); AR(1): (-1, 1))
  double signal = 1.0;  // beta' Sigma beta
  double sigma = 1.0;   // noise standard deviation
};

// Throws std::invalid_argument naming the field and value when the spec is unusable.
void validate(const DesignSpec& spec);

// 1' Sigma_kk 1 for the leading k x k block of Sigma.
double leading_block_sum(const DesignSpec& spec, std::int64_t k);

// The true coefficients (length p).
Eigen::VectorXd true_coefficients(const DesignSpec& spec);

// d' Sigma d in O(p) (d has length p).
double sigma_quadratic_form(const DesignSpec& spec, const Eigen::Ref<const Eigen::VectorXd>& d);

// Number of 64-bit draws one replicate's design consumes (normals come in pairs).
std::uint64_t design_draw_count(const DesignSpec& spec);

// Draws replicate `replicate`: X (n x p), the standard-normal noise e (length n) and
// y = X beta + sigma e.
void draw_design(const DesignSpec& spec, std::uint64_t seed, std::uint64_t replicate, RowMatrix& X,
                 Eigen::VectorXd& noise, Eigen::VectorXd& y);

}  // namespace computelimits::simulate
