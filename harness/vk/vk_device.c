/* harness/vk/vk_device.c: the Vulkan instance, what blsvk records of each physical device,
 * device selection, and the validation-layer messages a run collects. */
#define _GNU_SOURCE
#include "vk_internal.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *bv_vk_result_name(VkResult r)
{
    switch (r) {
#define R(x) case x: return #x
        R(VK_SUCCESS); R(VK_NOT_READY); R(VK_TIMEOUT); R(VK_EVENT_SET); R(VK_EVENT_RESET);
        R(VK_INCOMPLETE); R(VK_ERROR_OUT_OF_HOST_MEMORY); R(VK_ERROR_OUT_OF_DEVICE_MEMORY);
        R(VK_ERROR_INITIALIZATION_FAILED); R(VK_ERROR_DEVICE_LOST); R(VK_ERROR_MEMORY_MAP_FAILED);
        R(VK_ERROR_LAYER_NOT_PRESENT); R(VK_ERROR_EXTENSION_NOT_PRESENT); R(VK_ERROR_FEATURE_NOT_PRESENT);
        R(VK_ERROR_INCOMPATIBLE_DRIVER); R(VK_ERROR_TOO_MANY_OBJECTS); R(VK_ERROR_FORMAT_NOT_SUPPORTED);
        R(VK_ERROR_FRAGMENTED_POOL); R(VK_ERROR_UNKNOWN); R(VK_ERROR_OUT_OF_POOL_MEMORY);
        R(VK_ERROR_INVALID_EXTERNAL_HANDLE); R(VK_ERROR_FRAGMENTATION);
        R(VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS); R(VK_PIPELINE_COMPILE_REQUIRED);
        R(VK_ERROR_INVALID_SHADER_NV);
#undef R
    default:
        return "VkResult(unknown)";
    }
}

bv_status bv_vk_fail(bv_error *err, const char *call, VkResult r)
{
    bv_status st = BV_ERR_VULKAN;
    if (r == VK_ERROR_DEVICE_LOST)
        st = BV_ERR_DEVICE_LOST;
    else if (r == VK_TIMEOUT)
        st = BV_ERR_TIMEOUT;
    else if (r == VK_ERROR_OUT_OF_HOST_MEMORY || r == VK_ERROR_OUT_OF_DEVICE_MEMORY)
        st = BV_ERR_NOMEM;
    bv_error_set(err, st, "%s failed: %s (%d)", call, bv_vk_result_name(r), (int)r);
    if (err) {
        err->vk_call = call;
        err->vk_result = (int32_t)r;
    }
    return st;
}

const char *bv_vk_no_device_hint(void)
{
    return "No Vulkan device was found.\n"
           "- Without a GPU, install Mesa's CPU driver: apt-get install mesa-vulkan-drivers (lavapipe).\n"
           "- On a headless NVIDIA machine (a data-centre GPU in a container), the driver's usual ICD\n"
           "  (libGLX_nvidia.so.0) often fails to start; its EGL-based ICD works:\n"
           "    printf '{\"file_format_version\":\"1.0.0\",\"ICD\":{\"library_path\":\"/usr/local/nvidia/lib64/libEGL_nvidia.so.0\",\"api_version\":\"1.4.312\"}}' > /tmp/nvidia_egl_icd.json\n"
           "    export VK_DRIVER_FILES=/tmp/nvidia_egl_icd.json VK_ICD_FILENAMES=/tmp/nvidia_egl_icd.json\n"
           "  (adjust the folder to where the driver's libraries live). Alternatively point\n"
           "  __EGL_VENDOR_LIBRARY_FILENAMES at the driver's glvnd vendor file (e.g.\n"
           "  /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json) and VK_DRIVER_FILES at its nvidia_icd.json.\n"
           "- VK_LOADER_DEBUG=all shows what the Vulkan loader tried.";
}

static void version_str(char *buf, size_t n, uint32_t v)
{
    snprintf(buf, n, "%u.%u.%u", VK_API_VERSION_MAJOR(v), VK_API_VERSION_MINOR(v), VK_API_VERSION_PATCH(v));
}

/* Drivers encode their versions differently; NVIDIA's is the one users compare most. */
static void driver_version_str(char *buf, size_t n, uint32_t vendor, uint32_t v)
{
    if (vendor == 0x10de)
        snprintf(buf, n, "%u.%u.%u.%u", (v >> 22) & 0x3ff, (v >> 14) & 0xff, (v >> 6) & 0xff, v & 0x3f);
    else
        version_str(buf, n, v);
}

static VKAPI_ATTR VkBool32 VKAPI_CALL debug_cb(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                               VkDebugUtilsMessageTypeFlagsEXT types,
                                               const VkDebugUtilsMessengerCallbackDataEXT *data,
                                               void *user)
{
    bv_vk_instance *inst = user;
    (void)types;
    if (!(severity & (VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                      VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT)))
        return VK_FALSE;
    pthread_mutex_lock(&inst->msg_lock);
    inst->msg_count++;
    size_t used = strlen(inst->msgs);
    if (used + 2 < sizeof inst->msgs)
        snprintf(inst->msgs + used, sizeof inst->msgs - used, "%s%s", used ? "\n" : "",
                 data && data->pMessage ? data->pMessage : "(no message)");
    pthread_mutex_unlock(&inst->msg_lock);
    return VK_FALSE;
}

size_t bv_vk_take_validation_messages(bv_vk_instance *inst, char *buf, size_t n)
{
    size_t count;
    pthread_mutex_lock(&inst->msg_lock);
    count = inst->msg_count;
    if (buf && n)
        snprintf(buf, n, "%s", inst->msgs);
    inst->msg_count = 0;
    inst->msgs[0] = '\0';
    pthread_mutex_unlock(&inst->msg_lock);
    return count;
}

static bool has_layer(const char *name)
{
    uint32_t n = 0;
    bool found = false;
    if (vkEnumerateInstanceLayerProperties(&n, NULL) != VK_SUCCESS || n == 0)
        return false;
    VkLayerProperties *props = calloc(n, sizeof *props);
    if (!props)
        return false;
    if (vkEnumerateInstanceLayerProperties(&n, props) == VK_SUCCESS)
        for (uint32_t i = 0; i < n; i++)
            if (strcmp(props[i].layerName, name) == 0)
                found = true;
    free(props);
    return found;
}

static void record_device(bv_vk_instance *inst, uint32_t i)
{
    VkPhysicalDevice pd = inst->phys[i];
    bv_device_info *d = &inst->info[i];
    VkPhysicalDeviceProperties props;
    memset(d, 0, sizeof *d);
    d->index = i;
    vkGetPhysicalDeviceProperties(pd, &props);
    uint32_t api = props.apiVersion;

    VkPhysicalDeviceDriverProperties drv = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
    VkPhysicalDeviceIDProperties idp = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES};
    VkPhysicalDeviceSubgroupProperties sub = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
    VkPhysicalDeviceFloatControlsProperties fcp = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FLOAT_CONTROLS_PROPERTIES};
    idp.pNext = &sub;
    if (api >= VK_API_VERSION_1_2)
        sub.pNext = &fcp;
    if (api >= VK_API_VERSION_1_2)
        drv.pNext = &idp;
    VkPhysicalDeviceProperties2 p2 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
                                      .pNext = api >= VK_API_VERSION_1_2 ? (void *)&drv : (void *)&idp};
    vkGetPhysicalDeviceProperties2(pd, &p2);

    snprintf(d->name, sizeof d->name, "%s", props.deviceName);
    d->vendor_id = props.vendorID;
    d->device_id = props.deviceID;
    d->device_type = (uint32_t)props.deviceType;
    d->device_type_name = bv_device_type_name((uint32_t)props.deviceType);
    d->api_version = api;
    d->driver_version = props.driverVersion;
    version_str(d->api_version_str, sizeof d->api_version_str, api);
    driver_version_str(d->driver_version_str, sizeof d->driver_version_str, props.vendorID, props.driverVersion);
    if (api >= VK_API_VERSION_1_2) {
        snprintf(d->driver_name, sizeof d->driver_name, "%s", drv.driverName);
        snprintf(d->driver_info, sizeof d->driver_info, "%s", drv.driverInfo);
    }
    memcpy(d->uuid, idp.deviceUUID, 16);
    snprintf(d->uuid_str, sizeof d->uuid_str,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", d->uuid[0],
             d->uuid[1], d->uuid[2], d->uuid[3], d->uuid[4], d->uuid[5], d->uuid[6], d->uuid[7],
             d->uuid[8], d->uuid[9], d->uuid[10], d->uuid[11], d->uuid[12], d->uuid[13], d->uuid[14],
             d->uuid[15]);
    d->subgroup_size = sub.subgroupSize;
    if (api >= VK_API_VERSION_1_2) {
        d->fp64_rte = fcp.shaderRoundingModeRTEFloat64 == VK_TRUE;
        d->fp64_denorm_preserve = fcp.shaderDenormPreserveFloat64 == VK_TRUE;
        d->fp64_denorm_flush = fcp.shaderDenormFlushToZeroFloat64 == VK_TRUE;
        d->fp64_signed_zero_inf_nan = fcp.shaderSignedZeroInfNanPreserveFloat64 == VK_TRUE;
    }

    VkPhysicalDeviceVulkan12Features f12 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceFeatures2 f2 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
                                    .pNext = api >= VK_API_VERSION_1_2 ? &f12 : NULL};
    vkGetPhysicalDeviceFeatures2(pd, &f2);
    d->shader_int64 = f2.features.shaderInt64 == VK_TRUE;
    d->shader_float64 = f2.features.shaderFloat64 == VK_TRUE;
    d->timeline_semaphore = api >= VK_API_VERSION_1_2 && f12.timelineSemaphore == VK_TRUE;
    d->host_query_reset = api >= VK_API_VERSION_1_2 && f12.hostQueryReset == VK_TRUE;

    const VkPhysicalDeviceLimits *lim = &props.limits;
    d->timestamp_period = lim->timestampPeriod;
    for (int k = 0; k < 3; k++) {
        d->max_workgroup_size[k] = lim->maxComputeWorkGroupSize[k];
        d->max_workgroup_count[k] = lim->maxComputeWorkGroupCount[k];
    }
    d->max_workgroup_invocations = lim->maxComputeWorkGroupInvocations;
    d->max_shared_bytes = lim->maxComputeSharedMemorySize;
    d->max_storage_buffer_range = lim->maxStorageBufferRange;
    d->min_storage_buffer_offset_alignment = lim->minStorageBufferOffsetAlignment;

    uint32_t next = 0;
    if (vkEnumerateDeviceExtensionProperties(pd, NULL, &next, NULL) == VK_SUCCESS && next) {
        VkExtensionProperties *ext = calloc(next, sizeof *ext);
        if (ext && vkEnumerateDeviceExtensionProperties(pd, NULL, &next, ext) == VK_SUCCESS)
            for (uint32_t k = 0; k < next; k++) {
                if (strcmp(ext[k].extensionName, VK_KHR_PIPELINE_EXECUTABLE_PROPERTIES_EXTENSION_NAME) == 0)
                    d->pipeline_executable_info = true;
                else if (strcmp(ext[k].extensionName, "VK_KHR_shader_fma") == 0) /* newer than our headers */
                    d->shader_fma_khr = true;
            }
        free(ext);
    }

    VkPhysicalDeviceMemoryProperties mem;
    vkGetPhysicalDeviceMemoryProperties(pd, &mem);
    d->heap_count = mem.memoryHeapCount < 16 ? mem.memoryHeapCount : 16;
    for (uint32_t h = 0; h < d->heap_count; h++) {
        d->heap_size[h] = mem.memoryHeaps[h].size;
        d->heap_device_local[h] = (mem.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0;
    }

    /* The compute queue: prefer a family that has timestamps; a transfer-only family
     * (no graphics, no compute) is what the pipelined mode streams through. */
    uint32_t nq = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(pd, &nq, NULL);
    VkQueueFamilyProperties *q = calloc(nq ? nq : 1, sizeof *q);
    d->compute_queue_family = UINT32_MAX;
    d->transfer_queue_family = -1;
    if (q) {
        vkGetPhysicalDeviceQueueFamilyProperties(pd, &nq, q);
        for (uint32_t k = 0; k < nq; k++) {
            VkQueueFlags fl = q[k].queueFlags;
            if ((fl & VK_QUEUE_COMPUTE_BIT) &&
                (d->compute_queue_family == UINT32_MAX ||
                 (d->timestamp_valid_bits == 0 && q[k].timestampValidBits > 0))) {
                d->compute_queue_family = k;
                d->timestamp_valid_bits = q[k].timestampValidBits;
            }
            if ((fl & VK_QUEUE_TRANSFER_BIT) && !(fl & (VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT)) &&
                d->transfer_queue_family < 0) {
                d->transfer_queue_family = (int32_t)k;
                d->transfer_timestamp_valid_bits = q[k].timestampValidBits;
                d->transfer_queue_count = q[k].queueCount;
            }
        }
        free(q);
    }
}

bv_status bv_vk_instance_create(const bv_vk_instance_opts *opts, bv_vk_instance **out, bv_error *err)
{
    bv_status st = BV_OK;
    VkResult r;
    bv_vk_instance *inst = calloc(1, sizeof *inst);
    *out = NULL;
    if (!inst)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    pthread_mutex_init(&inst->msg_lock, NULL);
    inst->lock_ready = true;

    uint32_t loader = VK_API_VERSION_1_0;
    if (vkEnumerateInstanceVersion(&loader) != VK_SUCCESS)
        loader = VK_API_VERSION_1_0;
    version_str(inst->loader_version, sizeof inst->loader_version, loader);
    if (loader < VK_API_VERSION_1_1) {
        st = bv_error_set(err, BV_ERR_NO_DEVICE, "the Vulkan loader is version %s; blsvk needs 1.1 or later",
                          inst->loader_version);
        goto fail;
    }
    /* Ask for the newest API the harness uses; devices report their own version. */
    inst->api_version = loader >= VK_API_VERSION_1_3 ? VK_API_VERSION_1_3 : loader;

    const char *layers[1];
    const char *exts[1];
    uint32_t nlayers = 0, nexts = 0;
    /* GPU-assisted validation instruments the shaders, so that a kernel's out-of-bounds access is
     * named by the layer as it happens; it is run on its own, as the layer recommends. */
    bool gpu = opts && opts->gpu_assisted;
    VkValidationFeatureEnableEXT enables[2] = {VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT};
    if (gpu) {
        enables[0] = VK_VALIDATION_FEATURE_ENABLE_GPU_ASSISTED_EXT;
        enables[1] = VK_VALIDATION_FEATURE_ENABLE_GPU_ASSISTED_RESERVE_BINDING_SLOT_EXT;
    }
    VkValidationFeaturesEXT vfeat = {.sType = VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT,
                                     .enabledValidationFeatureCount = gpu ? 2 : 1,
                                     .pEnabledValidationFeatures = enables};
    VkDebugUtilsMessengerCreateInfoEXT dbg = {
        .sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
        .messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
        .messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                       VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
        .pfnUserCallback = debug_cb,
        .pUserData = inst,
    };
    if (opts && opts->validation) {
        if (!has_layer("VK_LAYER_KHRONOS_validation")) {
            st = bv_error_set(err, BV_ERR_UNSUPPORTED,
                              "--validate needs the Khronos validation layer: apt-get install vulkan-validationlayers");
            goto fail;
        }
        layers[nlayers++] = "VK_LAYER_KHRONOS_validation";
        exts[nexts++] = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
        vfeat.pNext = &dbg;
        inst->validation = true;
    }

    VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
                             .pApplicationName = "blsvk",
                             .applicationVersion = 1,
                             .pEngineName = "blsvk",
                             .apiVersion = inst->api_version};
    VkInstanceCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
                               .pNext = inst->validation ? &vfeat : NULL,
                               .pApplicationInfo = &app,
                               .enabledLayerCount = nlayers,
                               .ppEnabledLayerNames = layers,
                               .enabledExtensionCount = nexts,
                               .ppEnabledExtensionNames = exts};
    r = vkCreateInstance(&ci, NULL, &inst->instance);
    if (r == VK_ERROR_INCOMPATIBLE_DRIVER) {
        /* The loader found no driver at all: no device, not an internal error. */
        inst->instance = VK_NULL_HANDLE;
        *out = inst;
        return BV_OK;
    }
    if (r != VK_SUCCESS) {
        st = bv_vk_fail(err, "vkCreateInstance", r);
        goto fail;
    }
    if (inst->validation) {
        PFN_vkCreateDebugUtilsMessengerEXT create = (PFN_vkCreateDebugUtilsMessengerEXT)vkGetInstanceProcAddr(
            inst->instance, "vkCreateDebugUtilsMessengerEXT");
        if (!create) {
            st = bv_error_set(err, BV_ERR_UNSUPPORTED, "vkCreateDebugUtilsMessengerEXT is not available");
            goto fail;
        }
        r = create(inst->instance, &dbg, NULL, &inst->messenger);
        if (r != VK_SUCCESS) {
            st = bv_vk_fail(err, "vkCreateDebugUtilsMessengerEXT", r);
            goto fail;
        }
    }

    uint32_t n = 0;
    r = vkEnumeratePhysicalDevices(inst->instance, &n, NULL);
    if (r != VK_SUCCESS && r != VK_ERROR_INITIALIZATION_FAILED) {
        st = bv_vk_fail(err, "vkEnumeratePhysicalDevices", r);
        goto fail;
    }
    if (r == VK_SUCCESS && n > 0) {
        inst->phys = calloc(n, sizeof *inst->phys);
        inst->info = calloc(n, sizeof *inst->info);
        if (!inst->phys || !inst->info) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        r = vkEnumeratePhysicalDevices(inst->instance, &n, inst->phys);
        if (r != VK_SUCCESS && r != VK_INCOMPLETE) {
            st = bv_vk_fail(err, "vkEnumeratePhysicalDevices", r);
            goto fail;
        }
        /* Devices older than 1.1 or without a compute queue cannot run any case. */
        for (uint32_t i = 0; i < n; i++) {
            VkPhysicalDeviceProperties p;
            vkGetPhysicalDeviceProperties(inst->phys[i], &p);
            if (p.apiVersion < VK_API_VERSION_1_1)
                continue;
            inst->phys[inst->count] = inst->phys[i];
            record_device(inst, inst->count);
            if (inst->info[inst->count].compute_queue_family == UINT32_MAX)
                continue;
            inst->count++;
        }
    }
    *out = inst;
    return BV_OK;
fail:
    bv_vk_instance_destroy(inst);
    return st;
}

void bv_vk_instance_destroy(bv_vk_instance *inst)
{
    if (!inst)
        return;
    if (inst->abandoned) {
        inst->messenger = VK_NULL_HANDLE;
        inst->instance = VK_NULL_HANDLE;
    }
    if (inst->messenger) {
        PFN_vkDestroyDebugUtilsMessengerEXT destroy = (PFN_vkDestroyDebugUtilsMessengerEXT)vkGetInstanceProcAddr(
            inst->instance, "vkDestroyDebugUtilsMessengerEXT");
        if (destroy)
            destroy(inst->instance, inst->messenger, NULL);
    }
    if (inst->instance)
        vkDestroyInstance(inst->instance, NULL);
    if (inst->lock_ready)
        pthread_mutex_destroy(&inst->msg_lock);
    free(inst->phys);
    free(inst->info);
    free(inst);
}

uint32_t bv_vk_device_count(const bv_vk_instance *inst) { return inst ? inst->count : 0; }

const bv_device_info *bv_vk_device_info_at(const bv_vk_instance *inst, uint32_t i)
{
    return inst && i < inst->count ? &inst->info[i] : NULL;
}

const char *bv_vk_loader_version(const bv_vk_instance *inst) { return inst->loader_version; }

static bool parse_uuid(const char *s, uint8_t out[16])
{
    int k = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '-')
            continue;
        if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) || k >= 16)
            return false;
        char hex[3] = {p[0], p[1], 0};
        out[k++] = (uint8_t)strtoul(hex, NULL, 16);
        p++;
    }
    return k == 16;
}

bv_status bv_vk_device_select(const bv_vk_instance *inst, const char *sel, uint32_t *index, bv_error *err)
{
    uint32_t n = bv_vk_device_count(inst);
    if (n == 0)
        return bv_error_set(err, BV_ERR_NO_DEVICE, "no Vulkan device found");
    if (!sel || !*sel) {
        static const VkPhysicalDeviceType pref[] = {VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU,
                                                    VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU,
                                                    VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU};
        for (size_t k = 0; k < sizeof pref / sizeof pref[0]; k++)
            for (uint32_t i = 0; i < n; i++)
                if (inst->info[i].device_type == (uint32_t)pref[k]) {
                    *index = i;
                    return BV_OK;
                }
        *index = 0;
        return BV_OK;
    }
    char *end = NULL;
    unsigned long v = strtoul(sel, &end, 10);
    if (isdigit((unsigned char)sel[0]) && end && *end == '\0') {
        if (v >= n)
            return bv_error_set(err, BV_ERR_VALUE, "device index %lu is out of range: %u device%s found", v, n,
                                n == 1 ? "" : "s");
        *index = (uint32_t)v;
        return BV_OK;
    }
    uint8_t uuid[16];
    if (parse_uuid(sel, uuid)) {
        for (uint32_t i = 0; i < n; i++)
            if (memcmp(inst->info[i].uuid, uuid, 16) == 0) {
                *index = i;
                return BV_OK;
            }
        return bv_error_set(err, BV_ERR_VALUE, "no device has UUID %s", sel);
    }
    uint32_t found = UINT32_MAX, matches = 0;
    for (uint32_t i = 0; i < n; i++)
        if (strcasestr(inst->info[i].name, sel)) {
            found = i;
            matches++;
        }
    if (matches == 0)
        return bv_error_set(err, BV_ERR_VALUE, "no device name contains '%s' (see 'blsvk devices')", sel);
    if (matches > 1)
        return bv_error_set(err, BV_ERR_VALUE,
                            "'%s' matches %u devices; select one by index or UUID (see 'blsvk devices')", sel,
                            matches);
    *index = found;
    return BV_OK;
}
