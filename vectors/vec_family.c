/* vectors/vec_family.c: the family table of vectors/, each family's edge catalogue,
 * special cases by op and random generator; the one place a new family is registered here. */
#include "vec_curve.h"

static const vec_family_info families[] = {
    [BV_FAMILY_FP] = {vec_field_catalogue, vec_field_specials, vec_field_random_element, NULL},
    [BV_FAMILY_FR] = {vec_field_catalogue, vec_field_specials, vec_field_random_element, NULL},
    [BV_FAMILY_FP2] = {vec_fp2_catalogue, vec_fp2_specials, vec_fp2_random_element, NULL},
    [BV_FAMILY_G1] = {vec_curve_catalogue, vec_curve_specials, vec_curve_random_element,
                      vec_curve_random_range},
    [BV_FAMILY_G2] = {vec_curve_catalogue, vec_curve_specials, vec_curve_random_element,
                      vec_curve_random_range},
};
_Static_assert(sizeof families / sizeof families[0] == BV_FAMILY_COUNT,
               "families must have one entry per bv_family");

const vec_family_info *vec_family(bv_family f)
{
    return (unsigned)f < BV_FAMILY_COUNT ? &families[f] : NULL;
}
