/* harness/vk/vk_pipeline.c: compute pipeline creation, the one place every mode makes them
 * (layout, module, pipeline, module dropped), and the per-context pipeline cache. */
#define _GNU_SOURCE
#include "vk_internal.h"

#include <stdlib.h>
#include <string.h>

void bv_vk_pipeline_destroy(VkDevice dev, bv_vk_pipeline *p)
{
    if (!p)
        return;
    if (p->pipeline)
        vkDestroyPipeline(dev, p->pipeline, NULL);
    if (p->layout)
        vkDestroyPipelineLayout(dev, p->layout, NULL);
    if (p->dsl)
        vkDestroyDescriptorSetLayout(dev, p->dsl, NULL);
    free(p->code);
    memset(p, 0, sizeof *p);
}

bv_status bv_vk_pipeline_build(bv_vk_context *ctx, const uint32_t *code, size_t size, unsigned arity,
                               const uint32_t *spec, VkPipelineCache cache, VkPipelineCreateFlags flags,
                               bv_vk_pipeline *p, bv_error *err)
{
    bv_status st = BV_OK;
    VkShaderModule module = VK_NULL_HANDLE;
    VkDescriptorSetLayoutBinding b[3];
    memset(p, 0, sizeof *p);
    for (unsigned i = 0; i <= arity; i++)
        b[i] = (VkDescriptorSetLayoutBinding){.binding = i,
                                              .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                              .descriptorCount = 1,
                                              .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT};
    VkDescriptorSetLayoutCreateInfo dslci = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
                                             .bindingCount = arity + 1,
                                             .pBindings = b};
    BV_VK_CHECK(vkCreateDescriptorSetLayout(ctx->device, &dslci, NULL, &p->dsl));
    /* Room for a workload stage's words (bv_vk_workload_run) beside the elementwise kernels'
     * count and base: a module may use less of the range than the layout gives. */
    VkPushConstantRange pcr = {.stageFlags = VK_SHADER_STAGE_COMPUTE_BIT, .offset = 0,
                               .size = BV_VK_WL_PUSH_WORDS * 4};
    VkPipelineLayoutCreateInfo plci = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
                                       .setLayoutCount = 1,
                                       .pSetLayouts = &p->dsl,
                                       .pushConstantRangeCount = 1,
                                       .pPushConstantRanges = &pcr};
    BV_VK_CHECK(vkCreatePipelineLayout(ctx->device, &plci, NULL, &p->layout));
    VkShaderModuleCreateInfo smci = {.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
                                     .codeSize = size,
                                     .pCode = code};
    BV_VK_CHECK(vkCreateShaderModule(ctx->device, &smci, NULL, &module));
    /* Constant 0 the workgroup size; constant 1, where asked for, a workload stage's own. */
    uint32_t sdata[2] = {ctx->wg, spec ? *spec : 0};
    VkSpecializationMapEntry me[2] = {{.constantID = 0, .offset = 0, .size = 4}, {.constantID = 1, .offset = 4, .size = 4}};
    VkSpecializationInfo si = {.mapEntryCount = spec ? 2 : 1, .pMapEntries = me, .dataSize = spec ? 8 : 4, .pData = sdata};
    VkComputePipelineCreateInfo cpci = {
        .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
        .stage = {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
                  .stage = VK_SHADER_STAGE_COMPUTE_BIT,
                  .module = module,
                  .pName = "main",
                  .pSpecializationInfo = &si},
        .flags = flags,
        .layout = p->layout};
    BV_VK_CHECK(vkCreateComputePipelines(ctx->device, cache, 1, &cpci, NULL, &p->pipeline));
    vkDestroyShaderModule(ctx->device, module, NULL);
    p->arity = arity;
    p->wg = ctx->wg;
    p->has_spec = spec != NULL;
    p->spec = spec ? *spec : 0;
    ctx->pipes_created++;
    return BV_OK;
fail:
    if (module)
        vkDestroyShaderModule(ctx->device, module, NULL);
    bv_vk_pipeline_destroy(ctx->device, p);
    return st;
}

/* Whether cached pipeline p is the one for spec. */
static bool same_spec(const bv_vk_pipeline *p, const uint32_t *spec)
{
    return p->has_spec == (spec != NULL) && (!spec || p->spec == *spec);
}

bv_status bv_vk_pipeline_get(bv_vk_context *ctx, const uint32_t *code, size_t size, unsigned arity,
                             const uint32_t *spec, bool cached, bv_vk_pipeline **out, bv_error *err)
{
    bv_status st;
    if (!cached) {
        bv_vk_pipeline *p = calloc(1, sizeof *p);
        if (!p)
            return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        st = bv_vk_pipeline_build(ctx, code, size, arity, spec, VK_NULL_HANDLE, 0, p, err);
        if (st) {
            free(p);
            return st;
        }
        *out = p;
        return BV_OK;
    }
    /* Callers run the same module many times: a pointer hit, confirmed by comparing the
     * words, skips hashing the whole module on every call. */
    for (size_t i = 0; i < ctx->npipes; i++) {
        bv_vk_pipeline *p = &ctx->pipes[i];
        if (p->last_ptr == code && p->arity == arity && same_spec(p, spec) && p->code_size == size &&
            memcmp(p->code, code, size) == 0) {
            ctx->pipes_reused++;
            *out = p;
            return BV_OK;
        }
    }
    uint64_t h = bv_fnv1a64(BV_FNV_OFFSET, code, size);
    for (size_t i = 0; i < ctx->npipes; i++) {
        bv_vk_pipeline *p = &ctx->pipes[i];
        if (p->hash == h && p->arity == arity && same_spec(p, spec) && p->code_size == size &&
            memcmp(p->code, code, size) == 0) {
            ctx->pipes_reused++;
            p->last_ptr = code;
            *out = p;
            return BV_OK;
        }
    }
    if ((st = bv_array_reserve(&ctx->pipes, &ctx->cap_pipes, ctx->npipes + 1, sizeof *ctx->pipes, err)) != BV_OK)
        return st;
    bv_vk_pipeline *p = &ctx->pipes[ctx->npipes];
    st = bv_vk_pipeline_build(ctx, code, size, arity, spec, ctx->cache, 0, p, err);
    if (st)
        return st;
    p->code = malloc(size);
    if (!p->code) {
        bv_vk_pipeline_destroy(ctx->device, p);
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    }
    memcpy(p->code, code, size);
    p->code_size = size;
    p->hash = h;
    p->last_ptr = code;
    ctx->npipes++;
    *out = p;
    return BV_OK;
}
